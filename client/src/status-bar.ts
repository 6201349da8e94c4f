// The Kubeglass status bar item: how many objects and files the server indexed and how many errors
// and warnings it published, from the `kubeglass/status` notification. Clicking it opens the
// topology. It also shows when the server is starting or has stopped, so a silent server is visible.
// Deliberately absent: any counting; the numbers are the server's.
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';

/** The wire shape of `kubeglass/status` (server -> client); mirrors server/src/protocol/status.ts. */
export interface StatusParams {
  readonly objects: number;
  readonly files: number;
  readonly errors: number;
  readonly warnings: number;
  /** True while the server is still reading the workspace folders (absent from older servers). */
  readonly scanning?: boolean;
}

const STATUS_METHOD = 'kubeglass/status';
const SHOW_TOPOLOGY = 'kubeglass.showTopology';

/** Creates the item, subscribes it to the client, and returns what disposes both. */
export function createStatusBar(client: LanguageClient): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('kubeglass.status', vscode.StatusBarAlignment.Left, 0);
  item.name = 'Kubeglass';
  showStarting(item);
  item.show();
  const subscriptions: vscode.Disposable[] = [
    item,
    client.onNotification(STATUS_METHOD, (status: StatusParams) => showStatus(item, status)),
    client.onDidChangeState((e) => {
      if (e.newState === State.Starting) showStarting(item);
      else if (e.newState === State.Stopped) showStopped(item);
    }),
  ];
  return vscode.Disposable.from(...subscriptions);
}

function showStatus(item: vscode.StatusBarItem, status: StatusParams): void {
  const objects = `${status.objects.toLocaleString('en-US')} ${status.objects === 1 ? 'object' : 'objects'}`;
  // While the scan runs the counts are partial: say so instead of showing "0 objects" as a result.
  const icon = status.scanning ? '$(sync~spin)' : '$(type-hierarchy)';
  item.text = `${icon} ${objects}${status.scanning ? '…' : ''}  $(error) ${status.errors}  $(warning) ${status.warnings}`;
  const tooltip = new vscode.MarkdownString(
    `**Kubeglass** ${status.scanning ? 'is indexing the workspace: so far' : 'indexed'} ${objects} in ${status.files.toLocaleString('en-US')} ${status.files === 1 ? 'file' : 'files'}: ` +
      `${plural(status.errors, 'error')}, ${plural(status.warnings, 'warning')}.\n\nClick to show the topology.`,
  );
  item.tooltip = tooltip;
  item.command = { title: 'Show Topology', command: SHOW_TOPOLOGY };
  item.backgroundColor = undefined;
  item.accessibilityInformation = { label: `Kubeglass: ${status.scanning ? 'indexing, so far ' : ''}${objects}, ${plural(status.errors, 'error')}, ${plural(status.warnings, 'warning')}` };
}

function showStarting(item: vscode.StatusBarItem): void {
  item.text = '$(sync~spin) Kubeglass';
  item.tooltip = 'Kubeglass: starting the language server';
  item.command = undefined;
  item.backgroundColor = undefined;
}

function showStopped(item: vscode.StatusBarItem): void {
  item.text = '$(debug-disconnect) Kubeglass';
  item.tooltip = 'Kubeglass: the language server is not running. Click to show its output.';
  item.command = { title: 'Show Output', command: 'kubeglass.showOutput' };
  item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
