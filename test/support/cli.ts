// Runs the built `kubeglass` binary and captures its output and exit code.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from './paths';

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { cwd?: string; input?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'kubeglass.js'), ...args], {
    cwd: options.cwd ?? repoRoot,
    input: options.input,
    encoding: 'utf8',
    timeout: 60000,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
