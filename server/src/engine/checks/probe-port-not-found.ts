// Diagnostic: probe-port-not-found
//
// Kubernetes rule: the `port` of an `httpGet` or `tcpSocket` action in a liveness, readiness or
// startup probe, or in a `postStart`/`preStop` lifecycle hook, is a number or the name of a port.
// The API server checks only the form (a number in 1–65535, or an IANA service name:
// `...port: Invalid value: "8080": must contain at least one letter (a-z)`); the kubelet resolves a
// name against the ports of that same container only (first port with that `name`, any protocol)
// and, when there is none, the probe errors and counts as failed (a liveness failure restarts the
// container, a readiness failure keeps the Pod out of endpoints) and the hook fails. `grpc.port`
// is a number only: names are not accepted there.
//
// Fires on a named port the container does not declare (noting when another container of the Pod
// declares it), on the API's form errors, and on a non-numeric `grpc.port`. Quick fix: when the
// container declares exactly one port, use its name (or number).
import type { Check, Fix, RelatedPlace } from './types';
import { isRecord, type K8sObject } from '../model/object';
import type { FieldPath } from '../syntax/parse';
import { goQuote } from '../labels/field-error';
import { isValidPortName, isValidPortNum } from '../labels/formats';
import { WORKLOAD_KINDS } from '../model/kinds';
import { containerPortByName, portsText, type DeclaredPort } from '../semantics/ports';
import { portsOfContainer } from '../model/pod-template';
import { isPlaceholder } from './pod-selection';

const CODE = 'probe-port-not-found';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HOOKS = ['postStart', 'preStop'] as const;

export const probePortNotFound: Check = {
  codes: { [CODE]: 'error' },
  kinds: [...WORKLOAD_KINDS, 'PodTemplate'],
  run(object, ctx, report) {
    const template = ctx.index.podTemplate(object);
    if (!template) return;
    const specPath: FieldPath = template.path.length === 0 ? ['spec'] : [...template.path, 'spec'];
    const spec = template.spec as unknown as Record<string, unknown>;
    const all = containersOf(spec);
    for (const { field, index, container } of all) {
      const containerPath: FieldPath = [...specPath, field, index];
      for (const handler of handlersOf(container)) {
        const portPath: FieldPath = [...containerPath, ...handler.path, 'port'];
        const apiField = fieldText([...portPath]);
        const port = handler.port;
        if (port === undefined || port === null || isPlaceholder(port)) continue;
        if (handler.action === 'grpc') {
          if (typeof port !== 'number') {
            report({ code: CODE, message: `${apiField} must be a number: gRPC probes do not accept port names (found ${JSON.stringify(port)})`, path: portPath, target: 'value' });
          } else {
            for (const m of isValidPortNum(port)) report({ code: CODE, message: `${apiField}: Invalid value: ${port}: ${m}`, path: portPath, target: 'value' });
          }
          continue;
        }
        if (typeof port === 'number') {
          for (const m of isValidPortNum(port)) report({ code: CODE, message: `${apiField}: Invalid value: ${port}: ${m}`, path: portPath, target: 'value' });
          continue;
        }
        if (typeof port !== 'string') continue;
        const formErrors = isValidPortName(port);
        if (formErrors.length > 0) {
          const hint = /^[0-9]+$/.test(port) ? ` (a quoted number is a port name; write ${port} without quotes)` : '';
          for (const m of formErrors) report({ code: CODE, message: `${apiField}: Invalid value: ${goQuote(port)}: ${m}${hint}`, path: portPath, target: 'value' });
          continue;
        }
        if (containerPortByName(container, port)) continue;
        const name = typeof container.name === 'string' ? container.name : `#${index}`;
        const declared = portsOfContainer(container, containerPath, field === 'initContainers');
        const elsewhere = all.filter((c) => c.container !== container && containerPortByName(c.container, port));
        const related: RelatedPlace[] = elsewhere.map((c) => ({
          object,
          path: [...specPath, c.field, c.index, 'ports', containerPortByName(c.container, port)!.index],
          message: `container '${String(c.container.name ?? '')}' declares '${port}'`,
        }));
        const other = elsewhere.length > 0 ? `; container '${String(elsewhere[0].container.name ?? '')}' declares it, but ${handler.kind === 'probe' ? 'probes' : 'hooks'} resolve names in their own container only` : '';
        const effect = handler.kind === 'probe' ? `the kubelet cannot resolve it and the ${handler.name} fails` : `the ${handler.name} hook fails`;
        report({
          code: CODE,
          message: `${handler.name}.${handler.action}.port '${port}' is not a port name of container '${name}', which declares ${portsText(declared)}${other}; ${effect}`,
          path: portPath,
          target: 'value',
          related,
          fixes: replacementFixes(object, portPath, declared),
        });
      }
    }
  },
};

interface ContainerEntry {
  readonly field: 'containers' | 'initContainers';
  readonly index: number;
  readonly container: Record<string, unknown>;
}

/** Containers and init containers (probes and hooks are allowed on sidecars); ephemeral containers take neither. */
function containersOf(spec: Record<string, unknown>): ContainerEntry[] {
  const out: ContainerEntry[] = [];
  for (const field of ['containers', 'initContainers'] as const) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((container, index) => {
      if (isRecord(container)) out.push({ field, index, container });
    });
  }
  return out;
}

interface Handler {
  readonly kind: 'probe' | 'hook';
  readonly name: string;
  readonly action: 'httpGet' | 'tcpSocket' | 'grpc';
  readonly path: FieldPath;
  readonly port: unknown;
}

function handlersOf(container: Record<string, unknown>): Handler[] {
  const out: Handler[] = [];
  for (const probe of PROBES) {
    const p = container[probe];
    if (!isRecord(p)) continue;
    for (const action of ['httpGet', 'tcpSocket', 'grpc'] as const) {
      if (isRecord(p[action])) out.push({ kind: 'probe', name: probe, action, path: [probe, action], port: (p[action] as Record<string, unknown>).port });
    }
  }
  const lifecycle = container.lifecycle;
  if (isRecord(lifecycle)) {
    for (const hook of HOOKS) {
      const h = lifecycle[hook];
      if (!isRecord(h)) continue;
      for (const action of ['httpGet', 'tcpSocket'] as const) {
        if (isRecord(h[action])) out.push({ kind: 'hook', name: hook, action, path: ['lifecycle', hook, action], port: (h[action] as Record<string, unknown>).port });
      }
    }
  }
  return out;
}

function replacementFixes(object: K8sObject, portPath: FieldPath, declared: readonly DeclaredPort[]): Fix[] {
  if (declared.length !== 1) return [];
  const value = declared[0].name ?? String(declared[0].containerPort);
  return [{ title: `Use port ${value}`, preferred: true, edits: [{ kind: 'replace-value', place: { object, path: portPath }, text: value }] }];
}

/** A field path as the API server prints it: `spec.containers[0].livenessProbe.httpGet.port`. */
function fieldText(path: FieldPath): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out;
}
