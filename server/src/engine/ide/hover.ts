// Hover: one card with what the field means (the `kubectl explain` text of the configured Kubernetes
// version, or the schema of the workspace CRD deployed with a custom resource) and what its value resolves to in this workspace (see hover-values.ts).
// Secret values are never shown.
import type { Workspace, Span } from '../workspace';
import { explainMarkdown } from '../schema/schema';
import { resolveValue } from './hover-values';
import type { HoverContext } from './hover-values';
import { crdSchemasFor } from '../checks/crd-scope';

export interface HoverResult {
  readonly markdown: string;
  readonly span: Span;
}

export function hoverAt(ws: Workspace, uri: string, offset: number, ctx: HoverContext = {}): HoverResult | undefined {
  const at = ws.objectAt(uri, offset);
  if (!at) return undefined;
  const { object, path } = at;
  const sections: string[] = [];
  const resolved = resolveValue(ws, object, path, ctx);
  if (resolved) sections.push(resolved);
  const docPath = path.length ? path : [];
  let doc: string | undefined;
  try {
    doc = explainMarkdown(object.apiVersion, object.kind, docPath, { crds: ctx.crds ?? crdSchemasFor(ws.checkContext(), object) });
  } catch {
    doc = undefined;
  }
  if (doc) sections.push(doc);
  if (sections.length === 0) return undefined;
  return { markdown: sections.join('\n\n---\n\n'), span: { uri, start: at.span.start, end: at.span.end } };
}
