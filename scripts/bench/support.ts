// Shared pieces of the benchmarks: the generated workspace on disk, timing and percentiles, a result
// line the driver (main.ts) collects, and a small LSP client for servers started as child processes.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { generateWorkspace, type GeneratedFile } from '../../test/perf/generated-workspace';

export const repoRoot = path.resolve(__dirname, '..', '..');

/** One figure: `value` in `unit`, compared with `target` when there is one (`value <= target` passes). */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: number;
  readonly note?: string;
}

/** Prints a figure as a line for people and as a `BENCH <json>` line for the driver. */
export function report(figure: Figure): void {
  const verdict = figure.target === undefined ? '' : figure.value <= figure.target ? ' PASS' : ' MISS';
  const target = figure.target === undefined ? '' : ` (target <= ${format(figure.target)} ${figure.unit})`;
  console.log(`${figure.name}: ${format(figure.value)} ${figure.unit}${target}${verdict}${figure.note ? ` - ${figure.note}` : ''}`);
  console.log(`BENCH ${JSON.stringify(figure)}`);
}

export function format(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
}

export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** The generated workspace of `objects` objects written under the system temp folder (once per size). */
export function workspaceOnDisk(objects: number): { root: string; files: Array<GeneratedFile & { file: string; uri: string }> } {
  const root = path.join(os.tmpdir(), `kubeglass-bench-${objects}`);
  const generated = generateWorkspace(objects);
  const files = generated.map((f) => {
    const file = path.join(root, f.path);
    return { ...f, file, uri: pathToFileURL(file).href };
  });
  for (const f of files) {
    const have = fs.existsSync(f.file) ? fs.readFileSync(f.file, 'utf8') : undefined;
    if (have === f.text) continue;
    fs.mkdirSync(path.dirname(f.file), { recursive: true });
    fs.writeFileSync(f.file, f.text);
  }
  return { root, files };
}

export interface Publication {
  readonly uri: string;
  readonly at: number;
  readonly diagnostics: Array<{ code?: string | number; message: string }>;
}

/** A JSON-RPC client over a child's stdio; records every publishDiagnostics with its arrival time. */
export class BenchLspClient {
  readonly connection: MessageConnection;
  readonly child: ChildProcess;
  readonly publications: Publication[] = [];
  private listeners: Array<(p: Publication) => void> = [];
  stderr = '';

  constructor(command: string, args: readonly string[], readonly settings: Record<string, unknown> = {}) {
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d) => (this.stderr = (this.stderr + d).slice(-20000)));
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Publication['diagnostics'] }) => {
      const pub = { uri: p.uri, at: now(), diagnostics: p.diagnostics };
      this.publications.push(pub);
      for (const l of this.listeners) l(pub);
    });
    this.connection.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) => p.items.map((i) => (i.section ? this.settings[i.section] ?? null : this.settings)));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification(() => undefined);
    this.connection.listen();
  }

  onPublication(listener: (p: Publication) => void): () => void {
    this.listeners.push(listener);
    return () => (this.listeners = this.listeners.filter((l) => l !== listener));
  }

  async initialize(rootUri: string | null): Promise<void> {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'bench' }] : null,
      capabilities: {
        workspace: { configuration: true },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { relatedInformation: true }, hover: { contentFormat: ['markdown'] }, completion: { completionItem: { snippetSupport: false } } },
      },
      initializationOptions: {},
    });
    await this.connection.sendNotification('initialized', {});
  }

  open(uri: string, text: string, version = 1): void {
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
  }

  change(uri: string, text: string, version: number): void {
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Resolves when no publication has arrived for `quietMs`. */
  async quiet(quietMs: number, timeoutMs = 600_000): Promise<void> {
    const start = now();
    for (;;) {
      const last = this.publications.length ? this.publications[this.publications.length - 1]!.at : start;
      const wait = last + quietMs - now();
      if (wait <= 0) return;
      if (now() - start > timeoutMs) throw new Error('server never went quiet');
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  async shutdown(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]);
      await this.connection.sendNotification('exit');
    } catch {
      /* already gone */
    }
    // Give the server time to exit by itself (a --cpu-prof profile is written on exit).
    if (this.child.exitCode === null) await new Promise((r) => (this.child.once('exit', r), setTimeout(r, 20_000)));
    this.connection.dispose();
    if (this.child.exitCode === null) this.child.kill();
  }
}
