// Runs code-server (VS Code 1.100 served to a browser) for the end-to-end tests: a fresh user data
// folder, extensions folder and config file per run, so nothing is read from or written to the home
// folder, the packaged .vsix installed with `--install-extension`, and the server bound to a free
// loopback port without authentication. scripts/setup-code-server.sh installs code-server.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';

/** Where scripts/setup-code-server.sh installs code-server (KUBEGLASS_CODE_SERVER overrides). */
export function codeServerBinary(): string {
  if (process.env.KUBEGLASS_CODE_SERVER) return process.env.KUBEGLASS_CODE_SERVER;
  const cache = process.env.KUBEGLASS_E2E_CACHE ?? path.join(os.homedir(), '.cache', 'kubeglass-e2e');
  return path.join(cache, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', '.bin', 'code-server');
}

export interface CodeServer {
  readonly url: string;
  /** `host:port`, the remote authority of `vscode-remote://` URIs in this server's windows. */
  readonly authority: string;
  readonly extensionsDir: string;
  /** The folder the installed extension was unpacked into. */
  readonly extensionDir: string;
  readonly log: () => string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  readonly binary: string;
  readonly vsix: string;
  /** A scratch folder owned by the caller; code-server's folders are created inside. */
  readonly workDir: string;
  /** Written to the user settings.json. */
  readonly settings: Record<string, unknown>;
  /** Extra environment for the server and so for its extension hosts. */
  readonly env?: Record<string, string>;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const dirs = {
    userData: path.join(options.workDir, 'user-data'),
    extensions: path.join(options.workDir, 'extensions'),
    xdgConfig: path.join(options.workDir, 'xdg-config'),
    xdgData: path.join(options.workDir, 'xdg-data'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(options.settings, null, 2));
  const port = await freePort();
  const config = path.join(options.workDir, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const env = { ...process.env, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData, ...options.env };
  const common = ['--config', config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

  const install = spawnSync(options.binary, [...common, '--install-extension', options.vsix], { env, encoding: 'utf8', timeout: 120_000 });
  if (install.status !== 0 || !/successfully installed/.test(install.stdout)) {
    throw new Error(`code-server --install-extension failed (exit ${install.status}):\n${install.stdout}\n${install.stderr}`);
  }
  const extensionDir = fs
    .readdirSync(dirs.extensions)
    .filter((d) => d.startsWith('kubeglass.kubeglass-'))
    .map((d) => path.join(dirs.extensions, d))[0];
  if (!extensionDir) throw new Error(`the extension is not in ${dirs.extensions}: ${fs.readdirSync(dirs.extensions).join(', ')}`);

  const args = [
    ...common,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  // A process group of its own, so that stop() ends the server and the extension hosts it forked.
  const child = spawn(options.binary, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  await waitForListening(child, () => log, 60_000);
  const authority = `127.0.0.1:${port}`;
  return {
    url: `http://${authority}/`,
    authority,
    extensionsDir: dirs.extensions,
    extensionDir,
    log: () => log,
    stop: () => stopGroup(child),
  };
}

function waitForListening(child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`code-server did not start within ${timeoutMs} ms:\n${log()}`)), timeoutMs);
    const onData = () => {
      if (!/HTTP server listening on/.test(log())) return;
      cleanup();
      resolve();
    };
    const onExit = (code: number | null) => fail(new Error(`code-server exited (${code}) before listening:\n${log()}`));
    function cleanup() {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stderr!.off('data', onData);
      child.off('exit', onExit);
    }
    function fail(err: Error) {
      cleanup();
      reject(err);
    }
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', onExit);
    onData();
  });
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}

/** A port the kernel just handed out on the loopback interface. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Process ids whose command line contains every one of `parts` (Linux /proc). */
export function findProcesses(...parts: string[]): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (parts.every((p) => cmdline.includes(p))) out.push(Number(entry));
  }
  return out;
}
