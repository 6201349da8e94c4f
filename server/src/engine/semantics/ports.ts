// Ports: the one place that decides what a Service port's `targetPort` means and which container
// port a port name stands for. Every check, hover and simulator asks here.
//
// Kubernetes behaviour (spec b.1, b.4, kubelet probe/hook port resolution):
//   - `targetPort` absent, `0` or `""` is defaulted to the value of `port` (an integer).
//   - An integer `targetPort` is used as it is; Pods need not declare it.
//   - A string `targetPort` is resolved per Pod: the first port in `containers[*].ports[*]` (in
//     order) with that `name` and the Service port's `protocol`, then the same search over sidecar
//     init containers (`restartPolicy: Always`). Plain init containers are never searched.
//     A NetworkPolicy's named port resolves on the destination Pod the same way (g.3).
//   - Probes and lifecycle hooks resolve a port name inside their own container only, by name
//     (any protocol).
//   - `protocol` defaults to TCP, for Service ports and container ports alike.
//
// The resolving functions take a plain list of declared ports in that search order, so a pod
// template (`PodTemplate.ports`), a simulated Pod (`containerPortsOf(pod.spec)`) and a
// NetworkPolicy model Pod all resolve through the same code. Listing the ports of a pod spec in
// that order is `model/pod-template.ts` (`containerPortsOf`).
//
// Invariants: pure functions over decoded YAML values; nothing throws on malformed input (a value
// of the wrong type is an `invalid` target). Deliberately absent: API validation of the values
// (the `service-port-invalid` check owns the messages).
import { isRecord } from '../model/object';
import type { ContainerPortInfo } from '../model/pod-template';

/** A declared container port as resolution sees it: `protocol` already defaulted, no `name` when unnamed. */
export interface DeclaredPort {
  readonly name?: string | undefined;
  readonly containerPort: number;
  readonly protocol: string;
}

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

/** How one Pod (or Pod template) resolves a named `targetPort` (spec b.4). */
export type NamedPortResolution<P extends DeclaredPort = ContainerPortInfo> =
  /** The first declared port with that name and protocol. */
  | { readonly kind: 'found'; readonly port: P }
  /** The name is declared, but only with other protocols (every such port listed). */
  | { readonly kind: 'protocol-mismatch'; readonly ports: readonly P[] }
  /** No declared port has that name. */
  | { readonly kind: 'missing' };

/**
 * Resolves a port name the way the endpoint controller does (`FindPort`, b.4) over `ports` in
 * search order (regular containers, then sidecar init containers, each in declaration order;
 * plain init containers left out, as `PodTemplate.ports` and `containerPortsOf` list them):
 *   - `found`: the first port with that name and protocol;
 *   - `protocol-mismatch`: the name is declared only with other protocols;
 *   - `missing`: no port has the name.
 */
export function resolveNamedTargetPort<P extends DeclaredPort>(ports: readonly P[], name: string, protocol: string): NamedPortResolution<P> {
  const sameName = ports.filter((p) => p.name === name);
  const found = sameName.find((p) => p.protocol === protocol);
  if (found) return { kind: 'found', port: found };
  if (sameName.length > 0) return { kind: 'protocol-mismatch', ports: sameName };
  return { kind: 'missing' };
}

/** The port a name resolves to (b.4): the first of `ports`, in search order, with that name and protocol; undefined when none. */
export function namedPort<P extends DeclaredPort>(ports: readonly P[], name: string, protocol: string): P | undefined {
  return ports.find((p) => p.name === name && p.protocol === protocol);
}

/**
 * The port number a Service port sends traffic to on one Pod whose declared ports are `ports`
 * (b.1, b.4): a number target as it is, declared or not; a name through `namedPort` with the
 * Service port's protocol; undefined when the name resolves to nothing or the target is invalid
 * (the endpoint then carries no port for this Service port).
 */
export function targetPortOn(servicePort: unknown, ports: readonly DeclaredPort[]): number | undefined {
  const target = servicePortTarget(servicePort);
  if (target.kind === 'number') return target.port;
  if (target.kind === 'invalid') return undefined;
  return namedPort(ports, target.name, portProtocol(servicePort))?.containerPort;
}

/**
 * The declarations a Service port's target stands for among `ports` (one Pod or template), for
 * hovers and navigation:
 *   - a name: the port it resolves to (b.4), at most one;
 *   - a number: every port declaring that number with the protocol (the number is used whether
 *     or not one does);
 *   - an invalid target: none.
 */
export function targetPortDeclarations<P extends DeclaredPort>(ports: readonly P[], target: ServicePortTarget, protocol: string): P[] {
  if (target.kind === 'name') {
    const port = namedPort(ports, target.name, protocol);
    return port ? [port] : [];
  }
  if (target.kind === 'invalid') return [];
  return ports.filter((p) => p.containerPort === target.port && p.protocol === protocol);
}

/** Whether `ports` declare `containerPort` with this number: with the protocol, only with others, or not at all. */
export function containerPortDeclaration(ports: readonly DeclaredPort[], port: number, protocol: string): 'declared' | 'other-protocol' | 'undeclared' {
  const same = ports.filter((p) => p.containerPort === port);
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
export function portText(port: DeclaredPort): string {
  const num = `${port.containerPort}/${port.protocol}`;
  return port.name ? `${port.name}(${num})` : num;
}

/** Distinct `portText`s of several ports, sorted: "metrics(9090/TCP), web(8080/TCP)"; "no ports" when empty. */
export function portsText(ports: readonly DeclaredPort[]): string {
  const texts = [...new Set(ports.map(portText))].sort();
  return texts.length > 0 ? texts.join(', ') : 'no ports';
}
