// Completion. The cursor's context comes from the text's indentation (so half-typed lines complete
// too), then: label keys and values that exist on the namespace's pod templates inside selectors and
// matchExpressions; Service names and their ports in Ingress backends; the selected containers' port
// names in `targetPort`; headless Services in `serviceName`; enum values with their meanings; and
// field names from the Kubernetes schema (or a workspace CRD's).
import type { Workspace } from '../workspace';
import type { K8sObject } from '../model/object';
import { getPath, isRecord } from '../model/object';
import { fieldNames, fieldDoc, type KindSchema } from '../schema/schema';
import { selectorsOf } from '../semantics/references';
import { crdSchemasFor } from '../checks/crd-scope';

export interface CompletionItem {
  readonly label: string;
  readonly kind: 'field' | 'value' | 'label-key' | 'label-value' | 'reference' | 'enum';
  readonly detail?: string;
  readonly documentation?: string;
  readonly insertText?: string;
}

interface CursorContext {
  /** Field path of the mapping the cursor is in (list items as index 0; only names matter here). */
  readonly parent: (string | number)[];
  /** The key whose value is being typed, when the cursor is after `key:`. */
  readonly key?: string;
  /** What has been typed of the key or value. */
  readonly typed: string;
}

export function completionsAt(ws: Workspace, uri: string, offset: number, given?: readonly KindSchema[]): CompletionItem[] {
  const text = ws.text(uri);
  if (text === undefined) return [];
  const object = objectAround(ws, uri, offset);
  const ctx = cursorContext(text, offset);
  if (!ctx) return [];
  if (!object) {
    return ctx.parent.length === 0 && !ctx.key ? [{ label: 'apiVersion', kind: 'field' }, { label: 'kind', kind: 'field' }, { label: 'metadata', kind: 'field' }] : [];
  }
  const crds = given ?? crdSchemasFor(ws.checkContext(), object);
  const items = ctx.key !== undefined ? valueCompletions(ws, object, [...ctx.parent, ctx.key], crds) : keyCompletions(ws, object, ctx.parent, crds);
  const typed = ctx.typed.toLowerCase();
  return items.filter((i) => i.label.toLowerCase().startsWith(typed) || typed === '');
}

function keyCompletions(ws: Workspace, object: K8sObject, parent: (string | number)[], crds: readonly KindSchema[]): CompletionItem[] {
  if (isLabelMap(object, parent)) return labelKeys(ws, object.namespace);
  return fieldNames(object.apiVersion, object.kind, parent, { crds }).map((f) => ({
    label: f.name,
    kind: 'field' as const,
    detail: `${f.type}${f.required ? ' (required)' : ''}`,
    documentation: f.description,
    insertText: `${f.name}: `,
  }));
}

function valueCompletions(ws: Workspace, object: K8sObject, path: (string | number)[], crds: readonly KindSchema[]): CompletionItem[] {
  const index = ws.objectIndex;
  const names = path.filter((p): p is string => typeof p === 'string');
  const last = names[names.length - 1];
  const parentPath = path.slice(0, -1);
  if (isLabelMap(object, parentPath)) return labelValues(ws, object.namespace, String(last));
  if (last === 'values' && names.includes('matchExpressions')) {
    const expr = getPath(object.raw, path.slice(0, -1));
    const key = isRecord(expr) && typeof expr.key === 'string' ? expr.key : undefined;
    return key ? labelValues(ws, object.namespace, key) : [];
  }
  if (names.slice(-3).join('.') === 'backend.service.name' || names.slice(-2).join('.') === 'backend.serviceName') {
    return index.ofKind('Service', object.namespace).map((s) => ({ label: s.name, kind: 'reference' as const, detail: `Service/${s.namespace}/${s.name}`, documentation: portsText(s) }));
  }
  if (names.slice(-4).join('.') === 'backend.service.port.name' || names.slice(-4).join('.') === 'backend.service.port.number') {
    const backend = getPath(object.raw, path.slice(0, path.lastIndexOf('port')));
    const svcName = isRecord(backend) && typeof backend.name === 'string' ? backend.name : undefined;
    const svc = svcName ? index.named('Service', object.namespace, svcName)[0] : undefined;
    const ports = svc ? (getPath(svc.raw, ['spec', 'ports']) as unknown[] | undefined) ?? [] : [];
    return ports.filter(isRecord).flatMap((p) =>
      last === 'name' ? (typeof p.name === 'string' ? [{ label: p.name, kind: 'reference' as const, detail: `port ${String(p.port)}` }] : []) : [{ label: String(p.port), kind: 'reference' as const, detail: typeof p.name === 'string' ? p.name : '' }],
    );
  }
  if (object.kind === 'Service' && last === 'targetPort') {
    const use = selectorsOf(object).find((u) => u.selects === 'pods');
    if (!use) return [];
    const seen = new Map<string, CompletionItem>();
    for (const t of index.selectPodTemplates(object.namespace, use.selector)) {
      for (const p of t.ports) {
        if (p.name && !seen.has(p.name)) seen.set(p.name, { label: p.name, kind: 'reference', detail: `${p.containerPort}/${p.protocol} in ${t.owner.kind}/${t.owner.name}` });
      }
    }
    return [...seen.values()];
  }
  if (object.kind === 'StatefulSet' && names.join('.') === 'spec.serviceName') {
    return index.ofKind('Service', object.namespace).map((s) => {
      const headless = getPath(s.raw, ['spec', 'clusterIP']) === 'None';
      return { label: s.name, kind: 'reference' as const, detail: headless ? 'headless Service' : 'Service (not headless: pods get no DNS names)' };
    }).sort((a, b) => Number(b.detail.startsWith('headless')) - Number(a.detail.startsWith('headless')));
  }
  const doc = fieldDoc(object.apiVersion, object.kind, path, { crds });
  if (doc?.enum?.length) return doc.enum.map((e) => ({ label: e.value, kind: 'enum' as const, documentation: e.meaning }));
  if (doc?.type === 'boolean') return [{ label: 'true', kind: 'value' }, { label: 'false', kind: 'value' }];
  return [];
}

/** True when `path` is a label map: metadata labels of a pod template, a Service selector or a matchLabels. */
function isLabelMap(object: K8sObject, path: (string | number)[]): boolean {
  const names = path.filter((p): p is string => typeof p === 'string');
  const tail = names[names.length - 1];
  if (tail === 'matchLabels') return true;
  if (object.kind === 'Service' && names.join('.') === 'spec.selector') return true;
  if (object.kind === 'ReplicationController' && names.join('.') === 'spec.selector') return true;
  return tail === 'labels' && names.includes('template');
}

function labelKeys(ws: Workspace, namespace: string): CompletionItem[] {
  const counts = new Map<string, Set<string>>();
  for (const t of ws.objectIndex.podTemplatesIn(namespace)) {
    for (const [k, v] of Object.entries(t.labels)) {
      if (!counts.has(k)) counts.set(k, new Set());
      counts.get(k)!.add(v);
    }
  }
  return [...counts.entries()].sort().map(([k, vs]) => ({ label: k, kind: 'label-key' as const, detail: [...vs].sort().slice(0, 5).join(', '), insertText: `${k}: ` }));
}

function labelValues(ws: Workspace, namespace: string, key: string): CompletionItem[] {
  const owners = new Map<string, string[]>();
  for (const t of ws.objectIndex.podTemplatesIn(namespace)) {
    const v = t.labels[key];
    if (v === undefined) continue;
    owners.set(v, [...(owners.get(v) ?? []), `${t.owner.kind}/${t.owner.name}`]);
  }
  return [...owners.entries()].sort().map(([v, o]) => ({ label: v, kind: 'label-value' as const, detail: o.sort().join(', ') }));
}

function portsText(svc: K8sObject): string {
  const ports = getPath(svc.raw, ['spec', 'ports']);
  if (!Array.isArray(ports)) return '';
  return ports.filter(isRecord).map((p) => `${typeof p.name === 'string' ? p.name + ' ' : ''}${String(p.port)}/${String(p.protocol ?? 'TCP')}`).join(', ');
}

/** The object whose document contains `offset`, or the last one starting before it (for half-typed documents). */
function objectAround(ws: Workspace, uri: string, offset: number): K8sObject | undefined {
  const at = ws.objectAt(uri, offset);
  if (at) return at.object;
  let best: K8sObject | undefined;
  for (const o of ws.objectsIn(uri)) {
    const span = ws.locate({ object: o, path: [], target: 'value' });
    if (span.start <= offset) best = o;
  }
  return best;
}

/** Reads the cursor's mapping path from indentation: robust for lines that do not parse yet. */
export function cursorContext(text: string, offset: number): CursorContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const prefix = text.slice(lineStart, offset);
  const m = /^(\s*)(-\s+)?(?:([\w./-]+):\s+|([\w./-]+):$)?([^\s:{}[\],]*)$/.exec(prefix);
  if (!m) return undefined;
  const indent = m[1].length + (m[2] ? m[2].length : 0);
  const key = m[3] ?? m[4];
  const parent = parentPath(text, lineStart, indent, !!m[2]);
  if (key !== undefined) return { parent, key, typed: m[5] };
  return { parent, typed: m[5] };
}

function parentPath(text: string, lineStart: number, indent: number, isItem: boolean): (string | number)[] {
  const path: (string | number)[] = [];
  let limit = indent;
  if (isItem) path.unshift(0);
  let pos = lineStart - 1;
  while (pos > 0 && limit > 0) {
    const start = text.lastIndexOf('\n', pos - 1) + 1;
    const line = text.slice(start, pos);
    pos = start - 1;
    if (/^\s*(#.*)?$/.test(line)) continue;
    if (/^---/.test(line)) break;
    const lm = /^(\s*)(-\s+)?([\w./-]+)?:?/.exec(line)!;
    const ind = lm[1].length;
    const itemInd = ind + (lm[2] ? lm[2].length : 0);
    if (lm[2] && ind < limit) {
      // A list item at lower indentation holds the cursor: its own first key is a parent only when it
      // is indented less than the cursor's line (otherwise it is a sibling of the key being typed).
      if (lm[3] && itemInd < limit) path.unshift(lm[3]);
      path.unshift(0);
      limit = ind;
      continue;
    }
    if (ind < limit && lm[3]) {
      path.unshift(lm[3]);
      limit = ind;
    }
  }
  return path.filter((p, i, arr) => !(p === 0 && arr[i - 1] === 0));
}
