// The topology panel: "Kubeglass: Show Topology" opens the webview beside the editor. The host
// asks the server for the model (`kubeglass/topology`), forwards the page's rules and trace
// requests, reveals YAML, follows the cursor and re-sends the model after edits (debounced; the
// page keeps its zoom and selection). A serializer restores the panel after a reload.
// Security: strict CSP with a per-load nonce, scripts and styles only from the bundled webview
// folder (the only local resource root), and every message from the page validated by the
// protocol's schema before use; a reveal must name a location the current model contains.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  RULES_METHOD,
  TOPOLOGY_METHOD,
  TRACE_METHOD,
  parseWebviewMessage,
  type HostMessage,
  type RulesResult,
  type SourceLocation,
  type TopologyModel,
  type TraceResult,
} from '../../server/src/protocol/topology';

const VIEW_TYPE = 'kubeglass.topology';
const UPDATE_DELAY_MS = 400;

export function registerTopologyPanel(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.OutputChannel): void {
  let current: TopologyPanel | undefined;
  const open = (panel?: vscode.WebviewPanel) => {
    if (current && !panel) {
      current.panel.reveal(vscode.ViewColumn.Beside);
      return;
    }
    current?.dispose();
    const p = panel ?? vscode.window.createWebviewPanel(VIEW_TYPE, 'Kubeglass Topology', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, webviewOptions(context));
    current = new TopologyPanel(context, client, output, p, () => {
      if (current?.panel === p) current = undefined;
    });
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('kubeglass.showTopology', () => open()),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        panel.webview.options = webviewOptions(context);
        open(panel);
      },
    }),
    { dispose: () => current?.dispose() },
  );
}

function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview')],
  };
}

class TopologyPanel {
  private model: TopologyModel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private highlighted = '';
  private disposed = false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
    private readonly output: vscode.OutputChannel,
    readonly panel: vscode.WebviewPanel,
    private readonly onDispose: () => void,
  ) {
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      panel.onDidChangeViewState(() => panel.visible && this.scheduleUpdate(0)),
      vscode.workspace.onDidChangeTextDocument((e) => isManifest(e.document) && e.contentChanges.length > 0 && this.scheduleUpdate()),
      vscode.workspace.onDidSaveTextDocument((d) => isManifest(d) && this.scheduleUpdate()),
      vscode.workspace.onDidCreateFiles(() => this.scheduleUpdate()),
      vscode.workspace.onDidDeleteFiles(() => this.scheduleUpdate()),
      vscode.window.onDidChangeTextEditorSelection((e) => this.followCursor(e.textEditor)),
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
    this.onDispose();
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  /** Every message from the page is checked against the protocol schema first. */
  private async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.output.appendLine(`Kubeglass topology: ignored an invalid webview message: ${parsed.problems.join('; ')}`);
      return;
    }
    const m = parsed.value;
    switch (m.type) {
      case 'ready':
        return this.update();
      case 'reveal':
        return this.reveal(m.ref, m.location);
      case 'rules': {
        const result = await this.request<RulesResult>(RULES_METHOD, m.params);
        this.post({ type: 'rulesResult', requestId: m.requestId, result, error: result ? '' : 'The server could not compute the rules; see the Kubeglass output.' });
        return;
      }
      case 'trace': {
        const result = await this.request<TraceResult>(TRACE_METHOD, m.params);
        this.post({ type: 'traceResult', requestId: m.requestId, result, error: result ? '' : 'The server could not trace the packet; see the Kubeglass output.' });
        return;
      }
      case 'export':
        return this.save(m.format, m.data);
    }
  }

  private async request<T>(method: string, params: unknown): Promise<T | null> {
    try {
      return (await this.client.sendRequest<T | null>(method, params)) ?? null;
    } catch (err) {
      this.output.appendLine(`Kubeglass topology: ${method} failed: ${(err as Error).message}`);
      return null;
    }
  }

  private scheduleUpdate(delay = UPDATE_DELAY_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), delay);
  }

  private async update(): Promise<void> {
    if (this.disposed || !this.panel.visible) return;
    const model = await this.request<TopologyModel>(TOPOLOGY_METHOD, { includeConfig: true });
    if (!model || this.disposed) return;
    this.model = model;
    this.post({ type: 'model', model });
    const editor = vscode.window.activeTextEditor;
    if (editor) this.followCursor(editor, true);
  }

  /** Opens the YAML at the range, if the current model really has that location for `ref`. */
  private async reveal(ref: string, location: SourceLocation): Promise<void> {
    if (!this.model || !knownLocation(this.model, ref, location)) {
      this.output.appendLine(`Kubeglass topology: ignored a reveal of an unknown location for ${ref}`);
      return;
    }
    const { start, end } = location.range;
    const range = new vscode.Range(start.line, start.character, end.line, end.character);
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(location.uri, true));
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: range, preserveFocus: true, preview: true });
    } catch (err) {
      this.output.appendLine(`Kubeglass topology: could not open ${location.uri}: ${(err as Error).message}`);
    }
  }

  /** The innermost object whose YAML contains the cursor becomes the highlighted node. */
  private followCursor(editor: vscode.TextEditor, force = false): void {
    if (!this.model || !this.panel.visible) return;
    const uri = editor.document.uri.toString();
    const pos = editor.selection.active;
    let best: { id: string; size: number } | undefined;
    for (const n of this.model.nodes) {
      const e = n.extent;
      if (!e || e.uri !== uri) continue;
      if (!contains(e.range, pos.line, pos.character)) continue;
      const size = (e.range.end.line - e.range.start.line) * 10_000 + (e.range.end.character - e.range.start.character);
      if (!best || size < best.size) best = { id: n.id, size };
    }
    const ref = best?.id ?? '';
    if (ref === this.highlighted && !force) return;
    this.highlighted = ref;
    this.post({ type: 'highlight', ref });
  }

  private async save(format: 'svg' | 'png', data: string): Promise<void> {
    const base = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: base ? vscode.Uri.joinPath(base, `topology.${format}`) : undefined,
      filters: format === 'svg' ? { SVG: ['svg'] } : { PNG: ['png'] },
    });
    if (!target) return;
    let bytes: Uint8Array;
    if (format === 'svg') bytes = new TextEncoder().encode(data);
    else {
      const m = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(data);
      if (!m) {
        this.output.appendLine('Kubeglass topology: the PNG export was not a PNG data URL');
        return;
      }
      bytes = Buffer.from(m[1], 'base64');
    }
    await vscode.workspace.fs.writeFile(target, bytes);
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = crypto.randomBytes(18).toString('base64');
    const root = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview');
    const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(root, name)).toString();
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data: blob:`,
      `style-src ${webview.cspSource} 'nonce-${nonce}'`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
      'worker-src blob:',
      `connect-src ${webview.cspSource}`,
    ].join('; ');
    // The ELK layout worker (when the build ships it) is fetched from the bundle folder and started from a blob.
    const worker = fs.existsSync(vscode.Uri.joinPath(root, 'elk-worker.js').fsPath) ? ` data-elk-worker="${asset('elk-worker.js')}"` : '';
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${asset('codicon.css')}" id="vscode-codicon-stylesheet" nonce="${nonce}">
<link rel="stylesheet" href="${asset('main.css')}" nonce="${nonce}">
<title>Kubeglass Topology</title>
</head>
<body${worker}>
<div id="app"></div>
<script nonce="${nonce}" src="${asset('main.js')}"></script>
</body>
</html>`;
  }
}

function isManifest(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'yaml' || doc.languageId === 'json' || /\.(ya?ml|json)$/i.test(doc.uri.path);
}

function contains(range: SourceLocation['range'], line: number, character: number): boolean {
  const after = line > range.start.line || (line === range.start.line && character >= range.start.character);
  const before = line < range.end.line || (line === range.end.line && character <= range.end.character);
  return after && before;
}

/** A location the model itself carries for `ref` (node source, extent or problem; edge source). */
export function knownLocation(model: TopologyModel, ref: string, location: SourceLocation): boolean {
  const same = (a: SourceLocation | null | undefined) =>
    !!a &&
    a.uri === location.uri &&
    a.range.start.line === location.range.start.line &&
    a.range.start.character === location.range.start.character &&
    a.range.end.line === location.range.end.line &&
    a.range.end.character === location.range.end.character;
  const node = model.nodes.find((n) => n.id === ref);
  if (node && (same(node.source) || same(node.extent) || node.problems.some((p) => same(p.location)))) return true;
  return model.edges.some((e) => e.owner === ref && same(e.source));
}
