// The records a cluster DNS server following the Kubernetes DNS specification (schema 1.1.0)
// serves for a set of Services, EndpointSlices and Pods (spec semantics.md e.2, e.3).
//
// Owns: record generation and a small lookup (`lookupDns`) that answers a query from them.
// Records:
// - `dns-version.<zone>.` TXT `1.1.0`;
// - ClusterIP Services: `<svc>.<ns>.svc.<zone>.` A/AAAA per cluster IP, the PTR back, and an
//   SRV `_<port>._<proto>.<svc>...` per named port (unnamed ports have none);
// - ExternalName Services: a CNAME to the external name;
// - headless Services: A/AAAA per ready endpoint address (NXDOMAIN when none is ready), per
//   endpoint `<label>.<svc>...` A/AAAA where the label is the endpoint hostname, SRV per
//   (ready endpoint x named slice port) pointing at that label, and PTR for endpoints with a
//   hostname;
// - Pods: `<ip-with-dashes>.<ns>.pod.<zone>.` A/AAAA.
// Choices where the specification leaves room (each says what CoreDNS does):
// - an endpoint without hostname gets the label CoreDNS uses, its address with `.`/`:` turned
//   into `-` (`10-3-0-102`), and that name also answers A/AAAA;
// - SRV priority 0 and weight floor(100 / records in the set);
// - hostNetwork pods get no pod record: their address is the node's.
// Invariants: pure, never throws on malformed objects (odd fields are skipped), output sorted
// by (name, type, data). Names are lower-case with a trailing dot.

import type { V1EndpointSlice, V1Pod, V1Service } from '../model/k8s-types';

export type DnsRecordType = 'A' | 'AAAA' | 'CNAME' | 'PTR' | 'SRV' | 'TXT';

/** The object a record comes from, for reveal in the UI. */
export interface DnsRecordSource {
  readonly kind: 'Service' | 'Pod' | 'EndpointSlice' | 'Cluster';
  readonly namespace: string;
  readonly name: string;
}

export type DnsRecord =
  | { readonly type: 'A' | 'AAAA'; readonly name: string; readonly address: string; readonly source: DnsRecordSource }
  | { readonly type: 'CNAME' | 'PTR'; readonly name: string; readonly target: string; readonly source: DnsRecordSource }
  | {
      readonly type: 'SRV';
      readonly name: string;
      readonly priority: number;
      readonly weight: number;
      readonly port: number;
      readonly target: string;
      readonly source: DnsRecordSource;
    }
  | { readonly type: 'TXT'; readonly name: string; readonly text: string; readonly source: DnsRecordSource };

export interface DnsRecordsInput {
  /** Cluster domain without trailing dot, e.g. `cluster.local`. */
  readonly clusterDomain: string;
  /** Services as stored in the cluster (ClusterIPs allocated). */
  readonly services: readonly V1Service[];
  /** Every EndpointSlice (controller-generated and user-supplied). */
  readonly endpointSlices: readonly V1EndpointSlice[];
  readonly pods: readonly V1Pod[];
}

export interface DnsAnswer {
  readonly rcode: 'NOERROR' | 'NXDOMAIN';
  readonly answers: readonly DnsRecord[];
}

export const DNS_SCHEMA_VERSION = '1.1.0';
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const ANNOTATION_TOLERATE_UNREADY = 'service.alpha.kubernetes.io/tolerate-unready-endpoints';

/** Every record the cluster DNS serves for the input, sorted. */
export function dnsRecords(input: DnsRecordsInput): DnsRecord[] {
  const zone = trimDot(input.clusterDomain.toLowerCase());
  const out: DnsRecord[] = [
    { type: 'TXT', name: `dns-version.${zone}.`, text: DNS_SCHEMA_VERSION, source: { kind: 'Cluster', namespace: '', name: '' } },
  ];
  const slicesByService = groupSlices(input.endpointSlices);
  for (const svc of input.services) {
    const name = str(svc?.metadata?.name);
    if (name === '') continue;
    const ns = namespaceOf(svc.metadata?.namespace);
    const source: DnsRecordSource = { kind: 'Service', namespace: ns, name };
    const fqdn = serviceFQDN(name, ns, zone);
    const spec = svc.spec ?? {};
    if (spec.type === 'ExternalName') {
      const target = str(spec.externalName);
      if (target !== '') out.push({ type: 'CNAME', name: fqdn, target: withDot(target.toLowerCase()), source });
      continue;
    }
    if (isHeadless(svc)) {
      out.push(...headlessRecords(svc, fqdn, source, slicesByService.get(`${ns}/${name}`) ?? []));
      continue;
    }
    out.push(...clusterIPRecords(svc, fqdn, source));
  }
  for (const pod of input.pods) out.push(...podRecords(pod, zone));
  return sortRecords(dedupe(out));
}

/**
 * Answers a query from a record set: matching records of the type (a CNAME answers every type
 * at its name); NOERROR when the name owns any record or is an ancestor of one (an empty
 * non-terminal such as `<ns>.svc.<zone>.`), NXDOMAIN otherwise. Case-insensitive.
 */
export function lookupDns(records: readonly DnsRecord[], name: string, type: DnsRecordType): DnsAnswer {
  const q = withDot(name.toLowerCase());
  const atName = records.filter((r) => r.name === q);
  const answers = atName.filter((r) => r.type === type || (r.type === 'CNAME' && type !== 'CNAME'));
  const exists = atName.length > 0 || records.some((r) => r.name.endsWith(`.${q}`));
  return { rcode: exists ? 'NOERROR' : 'NXDOMAIN', answers };
}

/** `<svc>.<ns>.svc.<zone>.` */
export function serviceFQDN(service: string, namespace: string, zone: string): string {
  return `${service}.${namespace}.svc.${trimDot(zone)}.`.toLowerCase();
}

/** `<a-b-c-d>.<ns>.pod.<zone>.` for a pod address (IPv6: `:` becomes `-`). */
export function podFQDN(ip: string, namespace: string, zone: string): string {
  return `${dashedAddress(ip)}.${namespace}.pod.${trimDot(zone)}.`.toLowerCase();
}

/** The reverse-lookup name of an address: `d.c.b.a.in-addr.arpa.` or nibbles under `ip6.arpa.`. */
export function reverseName(ip: string): string | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) return `${Number(v4[4])}.${Number(v4[3])}.${Number(v4[2])}.${Number(v4[1])}.in-addr.arpa.`;
  const groups = expandIPv6(ip);
  if (groups === undefined) return undefined;
  const nibbles = groups.map((g) => g.toString(16).padStart(4, '0')).join('');
  return `${nibbles.split('').reverse().join('.')}.ip6.arpa.`;
}

/** An address with `.` and `:` replaced by `-`, the label form of pod and endpoint names. */
export function dashedAddress(ip: string): string {
  return ip.replace(/[.:]/g, '-');
}

function clusterIPRecords(svc: V1Service, fqdn: string, source: DnsRecordSource): DnsRecord[] {
  const out: DnsRecord[] = [];
  for (const ip of clusterIPsOf(svc)) {
    out.push({ type: ip.includes(':') ? 'AAAA' : 'A', name: fqdn, address: ip, source });
    const ptr = reverseName(ip);
    if (ptr !== undefined) out.push({ type: 'PTR', name: ptr, target: fqdn, source });
  }
  if (out.length === 0) return out;
  const ports = arr(svc.spec?.ports);
  for (const p of ports) {
    const portName = str(p?.name);
    const port = typeof p?.port === 'number' ? p.port : undefined;
    if (portName === '' || port === undefined) continue;
    const proto = (str(p.protocol) || 'TCP').toLowerCase();
    out.push({ type: 'SRV', name: `_${portName}._${proto}.${fqdn}`.toLowerCase(), priority: 0, weight: 100, port, target: fqdn, source });
  }
  return out;
}

function headlessRecords(
  svc: V1Service, fqdn: string, source: DnsRecordSource, slices: readonly V1EndpointSlice[],
): DnsRecord[] {
  const tolerateUnready = svc.spec?.publishNotReadyAddresses === true
    || svc.metadata?.annotations?.[ANNOTATION_TOLERATE_UNREADY] === 'true';
  const out: DnsRecord[] = [];
  const srv: { name: string; port: number; target: string }[] = [];
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') continue;
    const ports = arr(slice.ports).flatMap((p) => {
      const name = str(p?.name);
      return name !== '' && typeof p?.port === 'number' ? [{ name, port: p.port, proto: (str(p.protocol) || 'TCP').toLowerCase() }] : [];
    });
    for (const ep of arr(slice.endpoints)) {
      const ready = ep?.conditions?.ready !== false;
      if (!ready && !tolerateUnready) continue;
      const addresses = arr(ep.addresses).filter((a): a is string => typeof a === 'string' && a !== '');
      if (addresses.length === 0) continue;
      const hostname = str(ep.hostname).toLowerCase();
      const label = hostname !== '' ? hostname : dashedAddress(addresses[0]);
      const endpointName = `${label}.${fqdn}`;
      for (const ip of addresses) {
        const type = ip.includes(':') ? 'AAAA' : 'A';
        out.push({ type, name: fqdn, address: ip, source });
        out.push({ type, name: endpointName, address: ip, source });
        const ptr = hostname !== '' ? reverseName(ip) : undefined;
        if (ptr !== undefined) out.push({ type: 'PTR', name: ptr, target: endpointName, source });
      }
      for (const p of ports) srv.push({ name: `_${p.name}._${p.proto}.${fqdn}`.toLowerCase(), port: p.port, target: endpointName });
    }
  }
  const unique = new Map(srv.map((r) => [`${r.name} ${r.port} ${r.target}`, r]));
  const perName = new Map<string, number>();
  for (const r of unique.values()) perName.set(r.name, (perName.get(r.name) ?? 0) + 1);
  for (const r of unique.values()) {
    out.push({ type: 'SRV', name: r.name, priority: 0, weight: Math.floor(100 / perName.get(r.name)!), port: r.port, target: r.target, source });
  }
  return out;
}

function podRecords(pod: V1Pod, zone: string): DnsRecord[] {
  const name = str(pod?.metadata?.name);
  if (pod?.spec?.hostNetwork === true) return [];
  const ns = namespaceOf(pod?.metadata?.namespace);
  const source: DnsRecordSource = { kind: 'Pod', namespace: ns, name };
  return podIPsOf(pod).map((ip) => ({ type: ip.includes(':') ? 'AAAA' : 'A', name: podFQDN(ip, ns, zone), address: ip, source }));
}

/** `status.podIPs[*].ip`, or `status.podIP` when the list is absent. */
export function podIPsOf(pod: V1Pod): string[] {
  const list = arr(pod?.status?.podIPs).map((p) => str(p?.ip)).filter((ip) => ip !== '');
  if (list.length > 0) return list;
  const single = str(pod?.status?.podIP);
  return single === '' ? [] : [single];
}

/** `spec.clusterIPs`, or `spec.clusterIP` when the list is absent; never `None`. */
export function clusterIPsOf(svc: V1Service): string[] {
  const list = arr(svc?.spec?.clusterIPs).map(str).filter((ip) => ip !== '' && ip !== 'None');
  if (list.length > 0) return list;
  const single = str(svc?.spec?.clusterIP);
  return single === '' || single === 'None' ? [] : [single];
}

export function isHeadless(svc: V1Service): boolean {
  return svc?.spec?.clusterIP === 'None';
}

function groupSlices(slices: readonly V1EndpointSlice[]): Map<string, V1EndpointSlice[]> {
  const out = new Map<string, V1EndpointSlice[]>();
  for (const s of slices) {
    const svc = str(s?.metadata?.labels?.[LABEL_SERVICE_NAME]);
    if (svc === '') continue;
    const key = `${namespaceOf(s.metadata?.namespace)}/${svc}`;
    const list = out.get(key);
    if (list) list.push(s);
    else out.set(key, [s]);
  }
  return out;
}

function recordData(r: DnsRecord): string {
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return r.address;
    case 'CNAME':
    case 'PTR':
      return r.target;
    case 'SRV':
      return `${r.priority} ${r.weight} ${String(r.port).padStart(5, '0')} ${r.target}`;
    case 'TXT':
      return r.text;
  }
}

/** Record text in zone-file form: `<name> <type> <data>`. */
export function recordText(r: DnsRecord): string {
  const data = r.type === 'SRV' ? `${r.priority} ${r.weight} ${r.port} ${r.target}` : r.type === 'TXT' ? `"${r.text}"` : recordData(r);
  return `${r.name} ${r.type} ${data}`;
}

function dedupe(records: DnsRecord[]): DnsRecord[] {
  const seen = new Set<string>();
  return records.filter((r) => {
    const key = `${r.name} ${r.type} ${recordData(r)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sortRecords(records: DnsRecord[]): DnsRecord[] {
  const key = (r: DnsRecord) => [r.name, r.type, recordData(r)];
  return records.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    return 0;
  });
}

function expandIPv6(ip: string): number[] | undefined {
  if (!ip.includes(':')) return undefined;
  const halves = ip.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => (/^[0-9a-fA-F]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)));
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...new Array<number>(Math.max(fill, 0)).fill(0), ...tail];
  if (groups.length !== 8 || groups.some(Number.isNaN)) return undefined;
  return groups;
}

function namespaceOf(ns: unknown): string {
  return typeof ns === 'string' && ns !== '' ? ns : 'default';
}

function trimDot(s: string): string {
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

function withDot(s: string): string {
  return s.endsWith('.') ? s : `${s}.`;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function arr<T>(v: readonly T[] | undefined | null): readonly T[] {
  return Array.isArray(v) ? v : [];
}
