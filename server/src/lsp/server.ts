// The Kubeglass language server: document sync, workspace scan, scheduling, and engine <-> LSP
// conversion. It keeps only the engine workspace and the open documents; every answer comes from
// the engine. Diagnostics for a burst of edits are coalesced and published for exactly the files a
// change can affect (the edited file and its dependents in other files).
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  DidChangeConfigurationNotification,
  FileChangeType,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type CodeActionParams,
  type CodeAction,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Workspace } from '../engine/workspace';
import { findManifestFiles, readText, uriToPath } from '../host/files';
import { checkDocsBase } from '../host/package-root';
import { readSettings, toAnalysisOptions, mergeSettings, type KubeglassSettings } from '../protocol/settings';
import { toLspDiagnostic, toCodeAction } from './convert';
import { parse as parseYaml } from 'yaml';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { registerFeatures, FEATURE_CAPABILITIES } from './features';
import type { HoverContext } from '../engine/ide/hover-values';
import { createStatusReporter } from './status';

const MANIFEST = /\.(ya?ml|json)$/i;

export interface ServerState {
  readonly connection: Connection;
  readonly workspace: Workspace;
  readonly documents: TextDocuments<TextDocument>;
  /** Runs `fn` and logs (never rethrows) an engine failure, returning `fallback`. */
  guard<T>(what: string, uri: string | undefined, fallback: T, fn: () => T): T;
  /** Cluster facts hovers need (domain, DNS service IP, CRD schemas), from the current profile. */
  hoverContext(): HoverContext;
  clusterDomain(): string;
  /** The cluster profile value from settings (unparsed), if any. */
  profileSetting(): unknown;
}

export function startStdioServer(): void {
  startServer(createConnection(ProposedFeatures.all));
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const workspace = new Workspace();
  let roots: string[] = [];
  let hasConfiguration = false;
  let editorSettings: KubeglassSettings = {};
  let fileSettings: KubeglassSettings = {};
  const docsBase = checkDocsBase();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const published = new Set<string>();
  const status = createStatusReporter(connection);

  const guard = <T>(what: string, uri: string | undefined, fallback: T, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      connection.console.error(`${what} failed (uri ${uri ?? '-'}, revision ${workspace.revision}): ${(err as Error).stack ?? err}`);
      return fallback;
    }
  };
  const state: ServerState = {
    connection,
    workspace,
    documents,
    guard,
    hoverContext: () => ({ clusterDomain: clusterDomainOf(mergeSettings(fileSettings, editorSettings).profile) }),
    clusterDomain: () => clusterDomainOf(mergeSettings(fileSettings, editorSettings).profile),
    profileSetting: () => mergeSettings(fileSettings, editorSettings).profile,
  };

  // Nothing is published before the settings are in (`initialized`): diagnostics computed with the
  // wrong limits or severities would be shown and then replaced.
  let settingsApplied = false;
  const schedule = (uris: Iterable<string>, delay = 50) => {
    for (const u of uris) pending.add(u);
    if (!settingsApplied) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, delay);
  };

  // Publication runs in slices of about FLUSH_SLICE_MS, open documents first, yielding between
  // slices so that requests are answered meanwhile; a change that arrives in between makes the rest
  // of the pass stale: it stays pending and the pass that change scheduled publishes it.
  const FLUSH_SLICE_MS = 15;
  const flush = () => {
    timer = undefined;
    const revision = workspace.revision;
    const uris = [...pending].sort((a, b) => Number(documents.get(b) !== undefined) - Number(documents.get(a) !== undefined));
    const slice = (from: number) => {
      const sliceStart = Date.now();
      let i = from;
      if (workspace.revision === revision) {
        for (; i < uris.length && (i === from || Date.now() - sliceStart < FLUSH_SLICE_MS); i++) publish(uris[i]!);
      }
      // The totals of what is published so far (sent only when they changed).
      guard('status', undefined, undefined, () => status.send(workspace));
      if (workspace.revision === revision && i < uris.length) setImmediate(() => slice(i));
    };
    slice(0);
  };

  const publish = (uri: string) => {
    pending.delete(uri);
    const diagnostics = guard('diagnostics', uri, [], () =>
      workspace.hasFile(uri) ? workspace.diagnostics(uri).map((d) => toLspDiagnostic(workspace, d, docsBase)) : [],
    );
    status.record(uri, diagnostics);
    // Open documents always get an answer (clients wait for it); closed files only when something changes.
    if (diagnostics.length === 0 && !published.has(uri) && !documents.get(uri)) return;
    if (diagnostics.length) published.add(uri);
    else published.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics });
  };

  const applySettings = () => {
    const settings = mergeSettings(fileSettings, editorSettings);
    workspace.setOptions(toAnalysisOptions(settings));
    schedule(workspace.fileUris(), 0);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    roots = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri));
    if (roots.length === 0 && params.rootUri) roots = [uriToPath(params.rootUri)];
    hasConfiguration = !!params.capabilities.workspace?.configuration;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        ...featureCapabilities(),
      },
      serverInfo: { name: 'kubeglass', version: '0.1.0' },
    };
  });

  connection.onInitialized(async () => {
    if (hasConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'kubeglass' });
      editorSettings = await pullEditorSettings();
    }
    fileSettings = readWorkspaceSettingsFile(roots, (m) => connection.console.warn(m));
    workspace.setOptions(toAnalysisOptions(mergeSettings(fileSettings, editorSettings)));
    settingsApplied = true;
    status.setScanning(roots.length > 0);
    if (pending.size > 0) schedule([], 0); // documents opened meanwhile
    await scanRoots().finally(() => status.setScanning(false));
    schedule([], 0); // the status is sent even when the scan found nothing to publish
  });

  const pullEditorSettings = async (): Promise<KubeglassSettings> => {
    try {
      const value = await connection.workspace.getConfiguration('kubeglass');
      const { settings, problems } = readSettings(value);
      for (const p of problems) connection.console.warn(`settings: ${p}`);
      return settings;
    } catch {
      return {};
    }
  };

  // Reads and indexes the workspace folders in chunks, yielding between them so that diagnostics of
  // the first chunks are published (and requests answered) while the rest is still being read; the
  // editor shows the progress. Cross-file findings settle as later chunks arrive: every chunk
  // returns the dependents it made dirty, and those are republished.
  const scanRoots = async () => {
    if (roots.length === 0) return;
    const found = findManifestFiles(roots);
    for (const e of found.errors) connection.console.warn(e);
    const total = found.files.length;
    const title = `indexing ${total.toLocaleString('en-US')} manifests`;
    connection.console.info(`Kubeglass: ${title}`);
    const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
    progress?.begin('Kubeglass', 0, title);
    // Chunks double in size: the first results come quickly, and the republication of cross-file
    // dependents that every chunk causes stays within a small factor of a single pass.
    let chunkSize = 250;
    for (let at = 0; at < total; at += chunkSize, chunkSize *= 2) {
      const changes: { uri: string; text: string }[] = [];
      for (const f of found.files.slice(at, at + chunkSize)) {
        if (documents.get(f.uri)) continue; // the open document wins
        const text = readText(f.path);
        if (text !== undefined) changes.push({ uri: f.uri, text });
        else connection.console.warn(`${f.path}: could not be read (removed while scanning?); skipped`);
      }
      const dirty = guard('workspace scan', undefined, [] as string[], () => workspace.apply(changes));
      schedule(dirty, 0);
      const done = Math.min(at + chunkSize, total);
      progress?.report(Math.floor((100 * done) / total), `${title} (${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')})`);
      // A zero timeout queued after the flush timer that schedule() just set: the flush runs first.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    progress?.done();
  };

  connection.onDidChangeConfiguration(async () => {
    if (hasConfiguration) editorSettings = await pullEditorSettings();
    applySettings();
  });

  // The first change after a pause is published at once; changes that follow within BURST_MS of
  // the previous one (typing) are coalesced into one pass BURST_MS after the last of them.
  const BURST_MS = 50;
  let lastChangeAt = 0;
  documents.onDidChangeContent((e) => {
    const uri = e.document.uri;
    const dirty = guard('update', uri, [uri], () => workspace.setFile(uri, e.document.getText()));
    const at = Date.now();
    schedule(dirty, at - lastChangeAt < BURST_MS ? BURST_MS : 0);
    lastChangeAt = at;
  });

  documents.onDidClose((e) => {
    // Back to the disk contents (or gone, for an untitled or deleted file).
    const uri = e.document.uri;
    const file = uriToPath(uri);
    const text = uri.startsWith('file:') ? readText(file) : undefined;
    const inRoots = roots.some((r) => file.startsWith(r + path.sep) || file === r);
    const dirty = guard('close', uri, [uri], () => (text !== undefined && inRoots ? workspace.setFile(uri, text) : workspace.removeFile(uri)));
    schedule(dirty);
  });

  connection.onDidChangeWatchedFiles((params) => {
    const changes: ({ uri: string; text: string } | { uri: string; removed: true })[] = [];
    let settingsChanged = false;
    for (const c of params.changes) {
      if (c.uri.endsWith('/.kubeglass.yaml')) {
        settingsChanged = true;
        continue;
      }
      if (!MANIFEST.test(c.uri) || documents.get(c.uri)) continue;
      if (c.type === FileChangeType.Deleted) changes.push({ uri: c.uri, removed: true });
      else {
        const text = readText(uriToPath(c.uri));
        changes.push(text === undefined ? { uri: c.uri, removed: true } : { uri: c.uri, text });
      }
    }
    if (settingsChanged) {
      fileSettings = readWorkspaceSettingsFile(roots, (m) => connection.console.warn(m));
      applySettings();
    }
    if (changes.length) schedule(guard('watched files', undefined, [] as string[], () => workspace.apply(changes)));
  });

  connection.onCodeAction((params: CodeActionParams): CodeAction[] =>
    guard('codeAction', params.textDocument.uri, [], () => {
      const uri = params.textDocument.uri;
      if (!workspace.hasFile(uri)) return [];
      const out: CodeAction[] = [];
      const lines = workspace.lineIndex(uri);
      const start = lines.offset(params.range.start);
      const end = lines.offset(params.range.end);
      for (const d of workspace.diagnostics(uri)) {
        if (d.fixes.length === 0 || d.end < start || d.start > end) continue;
        const lsp = toLspDiagnostic(workspace, d, docsBase);
        for (const fix of d.fixes) out.push(toCodeAction(workspace, fix, lsp));
      }
      return out;
    }),
  );

  registerFeatures(state);
  documents.listen(connection);
  connection.listen();
}

function featureCapabilities() {
  return FEATURE_CAPABILITIES;
}

function clusterDomainOf(profile: unknown): string {
  const domain = profile && typeof profile === 'object' ? (profile as Record<string, unknown>).clusterDomain : undefined;
  return typeof domain === 'string' && domain ? domain : 'cluster.local';
}

/** `.kubeglass.yaml` at the first workspace root that has one. */
function readWorkspaceSettingsFile(roots: readonly string[], warn: (m: string) => void): KubeglassSettings {
  for (const root of roots) {
    const file = path.join(root, '.kubeglass.yaml');
    if (!fs.existsSync(file)) continue;
    try {
      const { settings, problems } = readSettings(parseYaml(fs.readFileSync(file, 'utf8')));
      for (const p of problems) warn(`${file}: ${p}`);
      return settings;
    } catch (err) {
      warn(`${file}: ${(err as Error).message}`);
    }
  }
  return {};
}
