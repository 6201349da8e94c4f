// Bundles the extension-host test suite (test/vscode/suite/) into one CommonJS file that an
// extension host can load through `extensionTestsPath`: `vscode` stays external, everything else
// is inlined, so the suite needs no node_modules next to it.
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { repoRoot } from '../support/paths';

/** Writes `<outDir>/index.js` and returns its path. */
export function bundleSuite(outDir: string): string {
  const outfile = path.join(outDir, 'index.js');
  buildSync({
    entryPoints: [path.join(repoRoot, 'test', 'vscode', 'suite', 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  return outfile;
}
