// An object's cross-reference "interface": everything about it that other objects' diagnostics can
// depend on. When a change leaves every interface of a namespace unchanged (say, a new container
// image or an env value), no other file is re-checked.
import { isRecord, type K8sObject } from './object';
import { POD_TEMPLATE_PATHS } from './kinds';

export function interfaceOf(obj: K8sObject): string {
  const raw = obj.raw;
  const head = [obj.apiVersion, obj.kind, obj.namespace, obj.name];
  if (obj.kind === 'ConfigMap' || obj.kind === 'Secret') {
    // Other objects see only which keys exist, never the values.
    const keys = [...Object.keys(isRecord(raw.data) ? raw.data : {}), ...Object.keys(isRecord(raw.binaryData) ? raw.binaryData : {}), ...Object.keys(isRecord(raw.stringData) ? raw.stringData : {})].sort();
    return JSON.stringify([head, obj.labels, raw.type ?? null, keys]);
  }
  if (obj.kind === 'Pod' || POD_TEMPLATE_PATHS[obj.kind]) {
    return JSON.stringify([head, obj.labels, obj.annotations, reducePodCarrier(raw)]);
  }
  return JSON.stringify([head, obj.labels, obj.annotations, raw.spec ?? null, raw.data === undefined ? null : Object.keys(isRecord(raw.data) ? raw.data : {})]);
}

/** A workload with each container reduced to its name and ports. */
function reducePodCarrier(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reducePodCarrier);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if ((k === 'containers' || k === 'initContainers' || k === 'ephemeralContainers') && Array.isArray(v)) {
      out[k] = v.map((c) => (isRecord(c) ? { name: c.name, ports: c.ports, restartPolicy: c.restartPolicy } : c));
    } else if (k !== 'status') {
      out[k] = reducePodCarrier(v);
    }
  }
  return out;
}
