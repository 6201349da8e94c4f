// Code lenses: above a Service "selects 3 pods in 1 workload"; above a workload "selected by
// 2 Services, 1 NetworkPolicy"; above a StatefulSet its pods' DNS names.
import type { Workspace, Span } from '../workspace';
import { selectorsOf } from '../semantics/references';
import { getPath } from '../model/object';
import { matches } from '../labels/selector';
import { referencesTo } from './navigation';
import type { PodTemplate } from '../model/pod-template';

export interface Lens {
  readonly span: Span;
  readonly title: string;
  /** Object whose references the lens opens (ObjectRef text), if any. */
  readonly referencesOf?: string;
}

export function codeLenses(ws: Workspace, uri: string, clusterDomain = 'cluster.local'): Lens[] {
  const out: Lens[] = [];
  const index = ws.objectIndex;
  for (const o of ws.objectsIn(uri)) {
    const span = ws.locate({ object: o, path: ['kind'] });
    const ref = `${o.kind}/${o.namespace}/${o.name}`;
    if (o.kind === 'Service') {
      const sel = selectorsOf(o).find((s) => s.selects === 'pods');
      if (!sel) {
        out.push({ span, title: getPath(o.raw, ['spec', 'type']) === 'ExternalName' ? `ExternalName → ${String(getPath(o.raw, ['spec', 'externalName']) ?? '?')}` : 'no selector: endpoints are managed by hand' });
        continue;
      }
      const templates = index.selectPodTemplates(o.namespace, sel.selector);
      const pods = templates.reduce((n, t) => n + replicasOf(t), 0);
      out.push({ span, title: `selects ${pods} pod${pods === 1 ? '' : 's'} in ${templates.length} workload${templates.length === 1 ? '' : 's'}`, referencesOf: ref });
      continue;
    }
    const template = index.podTemplate(o);
    if (template) {
      const counts = new Map<string, number>();
      for (const r of referencesTo(ws, o)) {
        const isSelector = selectorsOf(r.object).some((s) => s.path.join('.') === r.path.join('.') && matches(s.selector, template.labels));
        if (isSelector && r.object !== o) counts.set(r.object.kind, (counts.get(r.object.kind) ?? 0) + 1);
      }
      const parts = [...counts.entries()].sort().map(([k, n]) => `${n} ${n === 1 ? k : plural(k)}`);
      out.push({ span, title: parts.length ? `selected by ${parts.join(', ')}` : 'selected by no Service or policy', referencesOf: ref });
    }
    if (o.kind === 'StatefulSet') {
      const svc = getPath(o.raw, ['spec', 'serviceName']);
      const n = replicasOf(index.podTemplate(o));
      const start = Number(getPath(o.raw, ['spec', 'ordinals', 'start']) ?? 0) || 0;
      if (typeof svc === 'string' && svc && n > 0) {
        const names = Array.from({ length: Math.min(n, 3) }, (_, i) => `${o.name}-${start + i}.${svc}.${o.namespace}.svc.${clusterDomain}`);
        out.push({ span, title: names.join(', ') + (n > 3 ? `, … (${n} pods)` : '') });
      }
    }
  }
  return out;
}

function replicasOf(t: PodTemplate | undefined): number {
  if (!t) return 0;
  const o = t.owner;
  if (o.kind === 'Pod') return 1;
  if (o.kind === 'DaemonSet') return 1;
  const r = getPath(o.raw, ['spec', o.kind === 'Job' ? 'parallelism' : 'replicas']);
  return typeof r === 'number' ? r : 1;
}

function plural(kind: string): string {
  if (kind.endsWith('y')) return kind.slice(0, -1) + 'ies';
  return kind.endsWith('s') ? kind + 'es' : kind + 's';
}
