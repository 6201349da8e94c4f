// Diagnostic: service-port-invalid
//
// Kubernetes rule (spec b.1, b.2): the API server validates a Service after defaulting (`type` ""
// -> ClusterIP, each port's `protocol` "" -> TCP, `targetPort` absent/0/"" -> `port`) and rejects
// it with these errors, reproduced word for word:
//   - `spec.ports: Required value` — no ports, unless headless (`clusterIP: None`) or ExternalName;
//   - per port: `name` required when there are several ports, a DNS-1123 label (not an IANA
//     service name: up to 63 characters, digits-only allowed), unique; `port` in 1–65535;
//     `protocol` one of SCTP, TCP, UDP; `targetPort` a number in 1–65535 or an IANA_SVC_NAME (at
//     most 15 characters, at least one letter, no `--` — so a quoted `"8080"` is rejected);
//     `appProtocol` a qualified name;
//   - the same (protocol, port) twice; the same (protocol, nodePort) twice; `nodePort` on a
//     ClusterIP Service;
//   - `type` other than ClusterIP, NodePort, LoadBalancer, ExternalName; `clusterIP: None` with
//     NodePort or LoadBalancer; `clusterIP(s)`, `ipFamilies`, `ipFamilyPolicy` on ExternalName;
//     `externalName` missing or not a DNS-1123 subdomain (one trailing dot allowed);
//   - `spec.selector` label keys and values; `loadBalancerSourceRanges` and
//     `allocateLoadBalancerNodePorts` outside LoadBalancer; `externalTrafficPolicy` on a Service
//     that is not externally accessible (NodePort, LoadBalancer, or ClusterIP with externalIPs) or
//     not Cluster/Local; `internalTrafficPolicy` not Cluster/Local.
// Also the node-port allocator's rejection of a `nodePort` outside the cluster's range
// (`--service-node-port-range`, default 30000-32767).
// Deliberately absent: `metadata.name` (object-name checks own it); the `sessionAffinityConfig`
// rule, since v1 defaulting clears that field when `sessionAffinity` is None; client-IP timeouts.
import type { Check, FindingInput } from './types';
import { getPath, isRecord } from '../model/object';
import { isPlaceholder, looksLikePatch } from './pod-selection';
import type { FieldPath } from '../syntax/parse';
import { goQuote } from '../labels/field-error';
import { isDNS1123Label, isDNS1123Subdomain, isLabelKey, isLabelValue, isValidPortName, isValidPortNum } from '../labels/formats';

const CODE = 'service-port-invalid';
const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
/** The API server's default `--service-node-port-range`. */
const NODE_PORT_RANGE = { min: 30000, max: 32767 };

type Emit = (path: FieldPath, message: string, target?: 'key' | 'value') => void;

export const servicePortInvalid: Check = {
  codes: { [CODE]: 'error' },
  kinds: ['Service'],
  run(object, ctx, report) {
    const spec = object.raw.spec;
    if (!isRecord(spec)) return;
    const emit: Emit = (path, message, target) => {
      // Shell-template placeholders (`${PORT}`) are values nobody knows yet.
      if (isPlaceholder(getPath(spec, path.slice(1)))) return;
      report({ code: CODE, message, path, ...(target ? { target } : {}) } satisfies FindingInput);
    };
    const type = typeof spec.type === 'string' && spec.type !== '' ? spec.type : 'ClusterIP';
    const clusterIPs = clusterIPsOf(spec);
    const headless = clusterIPs[0] === 'None';
    const ports = Array.isArray(spec.ports) ? spec.ports : [];

    if (ports.length === 0 && !headless && type !== 'ExternalName' && !looksLikePatch(ctx.index, object, ['spec', 'ports'])) {
      emit(spec.ports === undefined ? ['spec'] : ['spec', 'ports'], 'spec.ports: Required value: a Service needs at least one port unless it is headless (clusterIP: None) or of type ExternalName');
    }
    checkTypeRules(spec, type, headless, clusterIPs, emit);
    checkPorts(ports, type, emit);
    checkSelector(spec, emit);
    checkTypeOnlyFields(spec, type, emit);
  },
};

/** `spec.clusterIPs` as defaulted from `spec.clusterIP` when only that is written. */
function clusterIPsOf(spec: Record<string, unknown>): string[] {
  if (Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0) return spec.clusterIPs.map((ip) => String(ip));
  return typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ? [spec.clusterIP] : [];
}

function clusterIPPath(spec: Record<string, unknown>): FieldPath {
  return Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0 ? ['spec', 'clusterIPs', 0] : ['spec', 'clusterIP'];
}

function checkTypeRules(spec: Record<string, unknown>, type: string, headless: boolean, clusterIPs: string[], emit: Emit): void {
  if ((type === 'LoadBalancer' || type === 'NodePort') && headless) {
    emit(clusterIPPath(spec), `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for ${type} services`, 'value');
  }
  if (type === 'ExternalName') {
    if (clusterIPs.length > 0) emit(clusterIPPath(spec).slice(0, 2), 'spec.clusterIPs: Forbidden: may not be set for ExternalName services');
    if (Array.isArray(spec.ipFamilies) && spec.ipFamilies.length > 0) emit(['spec', 'ipFamilies'], 'spec.ipFamilies: Forbidden: may not be set for ExternalName services');
    if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null) emit(['spec', 'ipFamilyPolicy'], 'spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services');
    const externalName = typeof spec.externalName === 'string' ? spec.externalName : '';
    const cname = externalName.endsWith('.') ? externalName.slice(0, -1) : externalName;
    if (cname === '') emit(['spec', 'externalName'], 'spec.externalName: Required value', 'value');
    else for (const m of isDNS1123Subdomain(cname)) emit(['spec', 'externalName'], `spec.externalName: Invalid value: ${goQuote(cname)}: ${m}`, 'value');
  }
  if (!SERVICE_TYPES.includes(type)) {
    emit(['spec', 'type'], `spec.type: Unsupported value: ${goQuote(type)}: supported values: ${SERVICE_TYPES.map(goQuote).join(', ')}`, 'value');
  }
}

function checkPorts(ports: readonly unknown[], type: string, emit: Emit): void {
  const names = new Set<string>();
  const seen = new Set<string>();
  const seenNodePorts = new Set<string>();
  ports.forEach((raw, i) => {
    // A port that does not decode (`port: PORT`) is rejected before validation; the schema check reports it.
    if (!isRecord(raw) || (raw.port !== undefined && typeof raw.port !== 'number')) return;
    const at = (field: string): FieldPath => ['spec', 'ports', i, field];
    const base = `spec.ports[${i}]`;
    const name = typeof raw.name === 'string' ? raw.name : '';
    if (ports.length > 1 && name === '') {
      emit(raw.port !== undefined ? at('port') : ['spec', 'ports', i], `${base}.name: Required value: a Service with several ports must name each of them`);
    } else if (name !== '') {
      for (const m of isDNS1123Label(name)) emit(at('name'), `${base}.name: Invalid value: ${goQuote(name)}: ${m}`, 'value');
      if (names.has(name)) emit(at('name'), `${base}.name: Duplicate value: ${goQuote(name)}`, 'value');
      else names.add(name);
    }

    const port = typeof raw.port === 'number' ? raw.port : raw.port === undefined ? 0 : undefined;
    if (port !== undefined) for (const m of isValidPortNum(port)) emit(at('port'), `${base}.port: Invalid value: ${port}: ${m}`, 'value');

    const protocol = typeof raw.protocol === 'string' && raw.protocol !== '' ? raw.protocol : 'TCP';
    if (!PROTOCOLS.includes(protocol)) {
      emit(at('protocol'), `${base}.protocol: Unsupported value: ${goQuote(protocol)}: supported values: ${PROTOCOLS.map(goQuote).join(', ')}`, 'value');
    }

    const target = raw.targetPort;
    if (target === undefined || target === null || target === 0 || target === '') {
      // Defaulted to `port`, then validated as a number.
      if (port !== undefined) for (const m of isValidPortNum(port)) emit(at('port'), `${base}.targetPort: Invalid value: ${port}: ${m} (targetPort is not set, so it is the same as port)`, 'value');
    } else if (typeof target === 'number') {
      for (const m of isValidPortNum(target)) emit(at('targetPort'), `${base}.targetPort: Invalid value: ${target}: ${m}`, 'value');
    } else if (typeof target === 'string') {
      const hint = /^[0-9]+$/.test(target) ? ` (a quoted number is a port name; write ${target} without quotes)` : '';
      for (const m of isValidPortName(target)) emit(at('targetPort'), `${base}.targetPort: Invalid value: ${goQuote(target)}: ${m}${hint}`, 'value');
    }

    if (typeof raw.appProtocol === 'string') {
      for (const m of qualifiedNameErrors(raw.appProtocol)) emit(at('appProtocol'), `${base}.appProtocol: Invalid value: ${goQuote(raw.appProtocol)}: ${m}`, 'value');
    }

    const nodePort = typeof raw.nodePort === 'number' ? raw.nodePort : 0;
    if (nodePort !== 0) {
      if (type === 'ClusterIP') {
        emit(at('nodePort'), `${base}.nodePort: Forbidden: may not be used when \`type\` is 'ClusterIP'`);
      } else if ((type === 'NodePort' || type === 'LoadBalancer') && (nodePort < NODE_PORT_RANGE.min || nodePort > NODE_PORT_RANGE.max)) {
        emit(
          at('nodePort'),
          `${base}.nodePort: Invalid value: ${nodePort}: provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max} (the default --service-node-port-range)`,
          'value',
        );
      }
      const nodeKey = `${protocol}/${nodePort}`;
      if (seenNodePorts.has(nodeKey)) emit(at('nodePort'), `${base}.nodePort: Duplicate value: ${nodePort}`, 'value');
      seenNodePorts.add(nodeKey);
    }

    if (port !== undefined) {
      const key = `${protocol}/${port}`;
      if (seen.has(key)) {
        emit(
          at('port'),
          `${base}: Duplicate value: {"Name":"","Protocol":${goQuote(protocol)},"AppProtocol":null,"Port":${port},"TargetPort":0,"NodePort":0} (port ${port}/${protocol} appears twice)`,
          'value',
        );
      }
      seen.add(key);
    }
  });
}

function checkSelector(spec: Record<string, unknown>, emit: Emit): void {
  if (!isRecord(spec.selector)) return;
  for (const [key, value] of Object.entries(spec.selector).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (isPlaceholder(key)) continue;
    for (const m of isLabelKey(key)) emit(['spec', 'selector', key], `spec.selector: Invalid value: ${goQuote(key)}: ${m}`);
    const text = value === null || value === undefined ? '' : String(value);
    for (const m of isLabelValue(text)) emit(['spec', 'selector', key], `spec.selector: Invalid value: ${goQuote(text)}: ${m}`, 'value');
  }
}

function checkTypeOnlyFields(spec: Record<string, unknown>, type: string, emit: Emit): void {
  const onlyLoadBalancer = "may only be used when `type` is 'LoadBalancer'";
  if (type !== 'LoadBalancer') {
    if (Array.isArray(spec.loadBalancerSourceRanges) && spec.loadBalancerSourceRanges.length > 0) {
      emit(['spec', 'loadBalancerSourceRanges'], `spec.LoadBalancerSourceRanges: Forbidden: ${onlyLoadBalancer}`);
    }
    if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts !== null) {
      emit(['spec', 'allocateLoadBalancerNodePorts'], `spec.allocateLoadBalancerNodePorts: Forbidden: ${onlyLoadBalancer}`);
    }
  }
  const etp = spec.externalTrafficPolicy;
  if (typeof etp === 'string' && etp !== '') {
    const externalIPs = Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0;
    const accessible = type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && externalIPs);
    if (!accessible) {
      emit(['spec', 'externalTrafficPolicy'], `spec.externalTrafficPolicy: Invalid value: ${goQuote(etp)}: may only be set for externally-accessible services`, 'value');
    } else if (!TRAFFIC_POLICIES.includes(etp)) {
      emit(['spec', 'externalTrafficPolicy'], `spec.externalTrafficPolicy: Unsupported value: ${goQuote(etp)}: supported values: ${TRAFFIC_POLICIES.map(goQuote).join(', ')}`, 'value');
    }
  }
  const itp = spec.internalTrafficPolicy;
  if (typeof itp === 'string' && itp !== '' && !TRAFFIC_POLICIES.includes(itp)) {
    emit(['spec', 'internalTrafficPolicy'], `spec.internalTrafficPolicy: Unsupported value: ${goQuote(itp)}: supported values: ${TRAFFIC_POLICIES.map(goQuote).join(', ')}`, 'value');
  }
}

/** `IsQualifiedName` with the "characters" wording of the general validation package. */
function qualifiedNameErrors(value: string): string[] {
  return isLabelKey(value).map((m) => m.replace(/ bytes$/, ' characters'));
}
