// Registers the editor features on the connection. Each is a thin conversion of an engine query,
// run in the server's guard so an engine bug answers empty instead of crashing the server.
import { SymbolKind, CompletionItemKind, type CompletionItem, type Location, type Hover, type CodeLens, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver/node';
import type { ServerState } from './server';
import { registerRules } from './rules';
import { registerTopology } from './topology';
import { hoverAt } from '../engine/ide/hover';
import { definitionAt, referencesTo } from '../engine/ide/navigation';
import { codeLenses } from '../engine/ide/lenses';
import { documentSymbols, workspaceSymbols } from '../engine/ide/symbols';
import { completionsAt } from '../engine/ide/completion';
import type { Span } from '../engine/workspace';
import type { Place } from '../engine/checks/types';

export const FEATURE_CAPABILITIES = {
  hoverProvider: true,
  definitionProvider: true,
  referencesProvider: true,
  codeLensProvider: { resolveProvider: false },
  documentSymbolProvider: true,
  workspaceSymbolProvider: true,
  completionProvider: { triggerCharacters: [':', ' ', '-'] },
};

const COMPLETION_KIND: Record<string, CompletionItemKind> = {
  field: CompletionItemKind.Field,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  'label-key': CompletionItemKind.Property,
  'label-value': CompletionItemKind.Value,
  reference: CompletionItemKind.Reference,
};

export function registerFeatures(state: ServerState): void {
  registerRules(state);
  const { connection, workspace: ws, guard } = state;
  registerTopology(state);
  const location = (span: Span): Location => ({ uri: span.uri, range: ws.lineIndex(span.uri).range(span.start, span.end) });
  const placeLocation = (p: Place): Location => location(ws.locate(p));

  connection.onHover((params): Hover | null =>
    guard('hover', params.textDocument.uri, null, () => {
      const uri = params.textDocument.uri;
      if (!ws.hasFile(uri)) return null;
      const offset = ws.lineIndex(uri).offset(params.position);
      const h = hoverAt(ws, uri, offset, state.hoverContext());
      return h ? { contents: { kind: 'markdown', value: h.markdown }, range: location(h.span).range } : null;
    }),
  );

  connection.onDefinition((params): Location[] =>
    guard('definition', params.textDocument.uri, [], () => {
      const uri = params.textDocument.uri;
      if (!ws.hasFile(uri)) return [];
      const at = ws.objectAt(uri, ws.lineIndex(uri).offset(params.position));
      if (!at) return [];
      return definitionAt(ws, at.object, at.path).map(placeLocation);
    }),
  );

  connection.onReferences((params): Location[] =>
    guard('references', params.textDocument.uri, [], () => {
      const uri = params.textDocument.uri;
      if (!ws.hasFile(uri)) return [];
      const at = ws.objectAt(uri, ws.lineIndex(uri).offset(params.position));
      if (!at) return [];
      const refs = referencesTo(ws, at.object).map(placeLocation);
      if (params.context.includeDeclaration) refs.unshift(placeLocation({ object: at.object, path: ['metadata', 'name'] }));
      return refs;
    }),
  );

  connection.onCodeLens((params): CodeLens[] =>
    guard('codeLens', params.textDocument.uri, [], () => {
      const uri = params.textDocument.uri;
      if (!ws.hasFile(uri)) return [];
      return codeLenses(ws, uri, state.clusterDomain()).map((l) => {
        const range = location(l.span).range;
        return {
          range,
          command: l.referencesOf
            ? { title: l.title, command: 'kubeglass.showReferences', arguments: [uri, range.start] }
            : { title: l.title, command: '' },
        };
      });
    }),
  );

  connection.onDocumentSymbol((params): DocumentSymbol[] =>
    guard('documentSymbol', params.textDocument.uri, [], () => {
      const uri = params.textDocument.uri;
      if (!ws.hasFile(uri)) return [];
      return documentSymbols(ws, uri).map((s) => ({
        name: s.name,
        detail: s.namespace,
        kind: symbolKind(s.kind),
        range: location(s.range).range,
        selectionRange: location(s.selection).range,
      }));
    }),
  );

  connection.onCompletion((params): CompletionItem[] =>
    guard('completion', params.textDocument.uri, [], () => {
      const uri = params.textDocument.uri;
      if (!ws.hasFile(uri)) return [];
      const offset = ws.lineIndex(uri).offset(params.position);
      return completionsAt(ws, uri, offset).map((c) => ({
        label: c.label,
        kind: COMPLETION_KIND[c.kind],
        detail: c.detail,
        documentation: c.documentation ? { kind: 'markdown', value: c.documentation } : undefined,
        insertText: c.insertText,
      }));
    }),
  );

  connection.onWorkspaceSymbol((params): SymbolInformation[] =>
    guard('workspaceSymbol', undefined, [], () =>
      workspaceSymbols(ws, params.query).map((s) => ({ name: s.name, kind: symbolKind(s.kind), containerName: s.namespace, location: location(s.selection) })),
    ),
  );
}

function symbolKind(kind: string): SymbolKind {
  switch (kind) {
    case 'Service':
    case 'Ingress':
      return SymbolKind.Interface;
    case 'ConfigMap':
    case 'Secret':
      return SymbolKind.Constant;
    case 'Namespace':
      return SymbolKind.Namespace;
    case 'NetworkPolicy':
      return SymbolKind.Event;
    default:
      return SymbolKind.Class;
  }
}
