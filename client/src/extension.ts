// The Kubeglass extension: starts the language server over IPC, forwards settings and file events,
// and registers commands. No YAML or Kubernetes logic lives here.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { createStatusBar } from './status-bar';
import { registerTopologyPanel } from './topology-panel';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const output = vscode.window.createOutputChannel('Kubeglass');
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
      { scheme: 'file', language: 'json', pattern: '**/*.json' },
    ],
    synchronize: {
      configurationSection: 'kubeglass',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.yaml,*.yml,*.json,.kubeglass.yaml}'),
    },
    outputChannel: output,
    traceOutputChannel: output,
    errorHandler: createErrorHandler(output),
    initializationFailedHandler: (error) => {
      output.appendLine(`Kubeglass: the language server failed to initialize: ${error?.stack ?? error}`);
      void vscode.window.showErrorMessage('The Kubeglass language server failed to start.', 'Show Output').then((a) => a && output.show(true));
      return false;
    },
    middleware: {
      workspace: {
        configuration: async (params, token, next) => {
          const values = await next(params, token);
          if (!Array.isArray(values)) return values;
          return params.items.map((item, i) => (item.section === 'kubeglass' ? explicitSettings(item.scopeUri) : values[i]));
        },
      },
    },
  };
  client = new LanguageClient('kubeglass', 'Kubeglass', serverOptions, clientOptions);
  const started = client;
  context.subscriptions.push(
    createStatusBar(started),
    vscode.commands.registerCommand('kubeglass.restartServer', () => started.restart()),
    vscode.commands.registerCommand('kubeglass.showOutput', () => output.show(true)),
  );
  await client.start();
  registerCommands(context, client);
  registerTopologyPanel(context, client, output);
  context.subscriptions.push({ dispose: () => void client?.stop() });
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}

/** Restarts allowed within `RESTART_WINDOW_MS` before Kubeglass gives up on a crashing server. */
const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60_000;

/**
 * Restarts a server that exits unexpectedly, at most MAX_RESTARTS times in RESTART_WINDOW_MS, and
 * tells the user once per window session rather than at every restart; the output channel keeps
 * each crash. Connection errors are tolerated a few times before the client shuts down.
 */
function createErrorHandler(output: vscode.OutputChannel): ErrorHandler {
  const restarts: number[] = [];
  let toldRestart = false;
  const showOutput = (choice: string | undefined) => choice && output.show(true);
  return {
    error: (_error, _message, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
    closed: () => {
      const now = Date.now();
      restarts.push(now);
      while (restarts.length > 0 && now - restarts[0]! > RESTART_WINDOW_MS) restarts.shift();
      if (restarts.length > MAX_RESTARTS) {
        output.appendLine(`Kubeglass: the language server stopped ${restarts.length} times in 3 minutes; not restarting it.`);
        void vscode.window
          .showErrorMessage('The Kubeglass language server keeps stopping and was not restarted. "Kubeglass: Restart Language Server" starts it again.', 'Show Output')
          .then(showOutput);
        restarts.length = 0;
        return { action: CloseAction.DoNotRestart, handled: true };
      }
      output.appendLine('Kubeglass: the language server stopped unexpectedly; restarting it.');
      if (!toldRestart) {
        toldRestart = true;
        void vscode.window.showWarningMessage('The Kubeglass language server stopped unexpectedly and was restarted.', 'Show Output').then(showOutput);
      }
      return { action: CloseAction.Restart, handled: true };
    },
  };
}

/** The `kubeglass.*` keys the server reads; `limits.*` arrive nested, as the server expects. */
const SETTING_KEYS = ['defaultNamespace', 'kubernetesVersion', 'severity', 'profile', 'limits.maxFileSize', 'limits.maxAliasCount', 'limits.maxDepth'];

/**
 * Only the values the user set, in the workspace folder, the workspace or the user settings. The
 * declared defaults are left out so that they do not override `.kubeglass.yaml`, which the server
 * merges below the editor settings.
 */
function explicitSettings(scopeUri: string | undefined): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration('kubeglass', scopeUri ? vscode.Uri.parse(scopeUri) : undefined);
  const out: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const inspected = config.inspect(key);
    const value = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
    if (value === undefined) continue;
    const [head, tail] = key.split('.') as [string, string | undefined];
    if (tail === undefined) out[head] = value;
    else out[head] = { ...((out[head] as Record<string, unknown> | undefined) ?? {}), [tail]: value };
  }
  return out;
}
