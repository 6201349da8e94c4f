// `kubeglass select <selector> [paths...] [-n NAMESPACE | -A] [--kind KIND]`: the objects whose labels
// the selector matches, and the workloads whose pod template labels it matches, one `Kind/namespace/name`
// per line, sorted. Without -n every namespace is searched (-A says so explicitly).
import { parseSelector, matches } from '../engine/labels/selector';
import type { Workspace } from '../engine/workspace';
import { refText } from '../engine/model/ref';

export function runSelect(workspace: Workspace, selectorText: string, opts: { namespace?: string; kind?: string }): { ok: true; lines: string[] } | { ok: false; error: string } {
  const parsed = parseSelector(selectorText);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const selector = parsed.selector;
  const index = workspace.objectIndex;
  const out = new Set<string>();
  for (const obj of workspace.objects()) {
    if (opts.namespace !== undefined && obj.namespace !== opts.namespace) continue;
    if (opts.kind && obj.kind.toLowerCase() !== opts.kind.toLowerCase()) continue;
    if (matches(selector, obj.labels)) out.add(refText(obj));
    const template = index.podTemplate(obj);
    if (template && obj.kind !== 'Pod' && matches(selector, template.labels)) out.add(refText(obj));
  }
  return { ok: true, lines: [...out].sort() };
}
