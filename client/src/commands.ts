// Commands that ask the server and show the answer: "Show kube-proxy rules" (opens the rules for the
// Service under the cursor, or the whole workspace, in a highlighted editor tab) and the reference
// list behind the code lenses.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { RulesAtParams, RulesAtResult } from '../../server/src/protocol/rules';

const RULES_AT_METHOD = 'kubeglass/rulesAt';

export function registerCommands(context: vscode.ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('kubeglass.showRules', async (mode?: RulesAtParams['mode']) => {
      const editor = vscode.window.activeTextEditor;
      const params: RulesAtParams = editor
        ? { uri: editor.document.uri.toString(), position: { line: editor.selection.active.line, character: editor.selection.active.character }, mode }
        : { mode };
      const result = await client.sendRequest<RulesAtResult | null>(RULES_AT_METHOD, params);
      if (!result) {
        void vscode.window.showWarningMessage('Kubeglass could not compute kube-proxy rules; see the Kubeglass output channel.');
        return;
      }
      const doc = await vscode.workspace.openTextDocument({ language: result.language, content: result.text });
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    }),
    vscode.commands.registerCommand('kubeglass.showReferences', async (uri: string, position: { line: number; character: number }) => {
      const target = vscode.Uri.parse(uri);
      const pos = new vscode.Position(position.line, position.character);
      const locations = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', target, pos);
      await vscode.commands.executeCommand('editor.action.showReferences', target, pos, locations ?? []);
    }),
  );
}
