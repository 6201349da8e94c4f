// Ports: the one place that decides what a Service port's `targetPort` means and which container
// port a port name stands for. Every check, hover and simulator asks here.
//
// Kubernetes behaviour (spec b.1, b.4, kubelet probe/hook port resolution):
//   - `targetPort` absent, `0` or `""` is defaulted to the value of `port` (an integer).
//   - An integer `targetPort` is used as it is; Pods need not declare it.
//   - A string `targetPort` is resolved per Pod: the first port in `containers[*].ports[*]` (in
//     order) with that `name` and the Service port's `protocol`, then the same search over sidecar
//     init containers (`restartPolicy: Always`). Plain init containers are never searched.
//   - Probes and lifecycle hooks resolve a port name inside their own container only, by name
//     (any protocol).
//   - `protocol` defaults to TCP, for Service ports and container ports alike.
//
// Invariants: pure functions over decoded YAML values; nothing throws on malformed input (a value
// of the wrong type is an `invalid` target). Deliberately absent: API validation of the values
// (the `service-port-invalid` check owns the messages).
import { isRecord } from '../model/object';
import type { ContainerPortInfo, PodTemplate } from '../model/pod-template';

/** What a Service port sends traffic to, after defaulting. */
export type ServicePortTarget =
  /** A port number; `defaulted` when it comes from `port` because `targetPort` was absent, 0 or "". */
  | { readonly kind: 'number'; readonly port: number; readonly defaulted: boolean }
  /** A container port name, resolved per Pod. */
  | { readonly kind: 'name'; readonly name: string }
  /** Neither (a boolean, a fraction, a mapping, or a missing `port` to default from). */
  | { readonly kind: 'invalid' };

/** The target of one `spec.ports[i]` entry (spec b.1 defaulting applied). */
export function servicePortTarget(servicePort: unknown): ServicePortTarget {
  if (!isRecord(servicePort)) return { kind: 'invalid' };
  const target = servicePort.targetPort;
  if (target === undefined || target === null || target === 0 || target === '') {
    const port = servicePort.port;
    return typeof port === 'number' && Number.isInteger(port) ? { kind: 'number', port, defaulted: true } : { kind: 'invalid' };
  }
  if (typeof target === 'number') return Number.isInteger(target) ? { kind: 'number', port: target, defaulted: false } : { kind: 'invalid' };
  if (typeof target === 'string') return { kind: 'name', name: target };
  return { kind: 'invalid' };
}

/** The protocol of a Service port or container port: the written string, TCP when absent. */
export function portProtocol(port: unknown): string {
  if (!isRecord(port)) return 'TCP';
  const p = port.protocol;
  return typeof p === 'string' && p !== '' ? p : 'TCP';
}

/** How one Pod template resolves a named `targetPort` (spec b.4). */
export type NamedPortResolution =
  /** The first declared port with that name and protocol. */
  | { readonly kind: 'found'; readonly port: ContainerPortInfo }
  /** The name is declared, but only with other protocols (every such port listed). */
  | { readonly kind: 'protocol-mismatch'; readonly ports: readonly ContainerPortInfo[] }
  /** No container port of the template has that name. */
  | { readonly kind: 'missing' };

/**
 * Resolves a named `targetPort` against a Pod template the way the endpoint controller does:
 * regular containers first, then sidecar init containers, each in declaration order, matching
 * name and protocol. `PodTemplate.ports` already lists ports in that order and leaves plain init
 * containers out.
 */
export function resolveNamedTargetPort(template: PodTemplate, name: string, protocol: string): NamedPortResolution {
  const sameName = template.ports.filter((p) => p.name === name);
  const found = sameName.find((p) => p.protocol === protocol);
  if (found) return { kind: 'found', port: found };
  if (sameName.length > 0) return { kind: 'protocol-mismatch', ports: sameName };
  return { kind: 'missing' };
}

/** Whether a template declares `containerPort` with this number: with the protocol, only with others, or not at all. */
export function containerPortDeclaration(template: PodTemplate, port: number, protocol: string): 'declared' | 'other-protocol' | 'undeclared' {
  const same = template.ports.filter((p) => p.containerPort === port);
  if (same.some((p) => p.protocol === protocol)) return 'declared';
  return same.length > 0 ? 'other-protocol' : 'undeclared';
}

/** The port a probe or lifecycle hook means by a name: the first port of that container with the name (any protocol). */
export function containerPortByName(container: unknown, name: string): { readonly index: number; readonly containerPort: unknown } | undefined {
  if (!isRecord(container) || !Array.isArray(container.ports)) return undefined;
  const index = container.ports.findIndex((p) => isRecord(p) && p.name === name);
  if (index < 0) return undefined;
  return { index, containerPort: (container.ports[index] as Record<string, unknown>).containerPort };
}

/** `name(8080/TCP)` or `8080/TCP` for an unnamed port. */
export function portText(port: Pick<ContainerPortInfo, 'name' | 'containerPort' | 'protocol'>): string {
  const num = `${port.containerPort}/${port.protocol}`;
  return port.name ? `${port.name}(${num})` : num;
}

/** Distinct `portText`s of several ports, sorted: "metrics(9090/TCP), web(8080/TCP)"; "no ports" when empty. */
export function portsText(ports: readonly Pick<ContainerPortInfo, 'name' | 'containerPort' | 'protocol'>[]): string {
  const texts = [...new Set(ports.map(portText))].sort();
  return texts.length > 0 ? texts.join(', ') : 'no ports';
}
