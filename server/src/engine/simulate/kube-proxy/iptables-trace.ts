// Packet tracer over kube-proxy iptables rules, with the semantics of the upstream test
// tracer (shared/testdata/kube-proxy/README.md, "Packet flows"): it answers "where can this
// packet end up, and is it masqueraded?" by walking the rule text, so its answers check the
// generated rules themselves.
//
// Walk: nat PREROUTING (or KUBE-SERVICES when the data has no built-in chains); after a DNAT
// the destination becomes the first recorded destination's address; then filter
// KUBE-SERVICES, KUBE-EXTERNAL-SERVICES, KUBE-NODEPORTS, KUBE-PROXY-FIREWALL.
// A rule matches when its `-s`/`-d` (IP or CIDR, `!` negates), `--src-type`/`--dst-type LOCAL`
// (membership in the local IPs), `-p` and `--dport` match; rules testing history
// (`--rcheck`, `--mark`, `--ctstate`) never match; every other match (comments, statistic,
// nfacct, interfaces, `recent --set`) is assumed to match. Targets: KUBE-MARK-MASQ sets the
// masquerade flag and continues; ACCEPT/DROP/REJECT and DNAT record and stop; another chain
// is walked, and stops the caller too unless the jump was probabilistic (so every endpoint of
// a service is collected). Unknown chains (RETURN, MARK, ...) are no-ops.
// Never throws; a jump depth limit guards against loops in hand-written input.
import { cidrContains, parseCIDRSloppy, parseIPSloppy } from './ip-address';
import { type ParsedRestore, type RestoreRule, type RestoreTable, findBase, findMatchOption } from './restore-text';

export interface IptablesPacket {
  readonly sourceIP: string;
  readonly destIP: string;
  readonly destPort: number;
  /** `tcp`, `udp`, `sctp` (any case). */
  readonly protocol: string;
  /** Addresses of the node (127.0.0.1 and ::1 are always local). */
  readonly localIPs: readonly string[];
}

export interface IptablesTraceHop {
  readonly table: string;
  readonly chain: string;
  /** The matched rule as written. */
  readonly rule: string;
  /** Set on the rule that ended a walk: `ACCEPT`, `DROP`, `REJECT` or the DNAT destination. */
  readonly verdict?: string;
}

export interface IptablesTrace {
  /** Recorded destinations and verdicts joined by `, ` (`""` when no kube-proxy rule decided). */
  readonly output: string;
  readonly masq: boolean;
  readonly hops: readonly IptablesTraceHop[];
}

const maxJumpDepth = 64;
const filterChainsWalked = ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL'];

/** Traces one packet through parsed restore (or save) text. */
export function traceIptablesPacket(rules: ParsedRestore, packet: IptablesPacket): IptablesTrace {
  const state: TraceState = {
    localIPs: new Set(['127.0.0.1', '::1', ...packet.localIPs]),
    outputs: [],
    hops: [],
    masq: false,
  };
  const nat = rules.tables.find((t) => t.name === 'nat');
  const filter = rules.tables.find((t) => t.name === 'filter');
  const pkt: PacketFields = {
    sourceIP: packet.sourceIP,
    destIP: packet.destIP,
    destPort: String(packet.destPort),
    protocol: packet.protocol.toLowerCase(),
  };
  if (nat !== undefined) {
    const start = nat.chains.some((c) => c.name === 'PREROUTING') ? 'PREROUTING' : 'KUBE-SERVICES';
    runChain(state, nat, start, pkt, 0);
  }
  // A DNAT rewrites the destination before the filter table sees the packet.
  const afterNat: PacketFields =
    state.outputs.length > 0 ? { ...pkt, destIP: state.outputs[0]!.split(':')[0]! } : pkt;
  if (filter !== undefined) {
    for (const chain of filterChainsWalked) runChain(state, filter, chain, afterNat, 0);
  }
  return { output: state.outputs.join(', '), masq: state.masq, hops: state.hops };
}

interface PacketFields {
  readonly sourceIP: string;
  readonly destIP: string;
  readonly destPort: string;
  readonly protocol: string;
}

interface TraceState {
  readonly localIPs: ReadonlySet<string>;
  readonly outputs: string[];
  readonly hops: IptablesTraceHop[];
  masq: boolean;
}

/** Walks one chain; true when a terminal verdict was reached. */
function runChain(state: TraceState, table: RestoreTable, chainName: string, pkt: PacketFields, depth: number): boolean {
  if (depth > maxJumpDepth) return false;
  const chain = table.chains.find((c) => c.name === chainName);
  if (chain === undefined) return false;
  for (const rule of chain.rules) {
    const target = rule.spec.target;
    if (target === undefined || !ruleMatches(state, rule, pkt)) continue;
    const hop = { table: table.name, chain: chainName, rule: rule.raw };
    switch (target.name) {
      case 'KUBE-MARK-MASQ':
        state.hops.push(hop);
        state.masq = true;
        continue;
      case 'ACCEPT':
      case 'REJECT':
      case 'DROP':
        state.hops.push({ ...hop, verdict: target.name });
        state.outputs.push(target.name);
        return true;
      case 'DNAT': {
        const to = target.options.find((o) => o.name === '--to-destination')?.values[0] ?? '';
        state.hops.push({ ...hop, verdict: to });
        state.outputs.push(to);
        return true;
      }
      default: {
        state.hops.push(hop);
        const terminated = runChain(state, table, target.name, pkt, depth + 1);
        if (terminated && findMatchOption(rule.spec, '--probability') === undefined) return true;
      }
    }
  }
  return false;
}

function ruleMatches(state: TraceState, rule: RestoreRule, pkt: PacketFields): boolean {
  const spec = rule.spec;
  const src = findBase(spec, '-s');
  if (src !== undefined && !addressMatches(src.value, src.negated, pkt.sourceIP)) return false;
  const srcType = findMatchOption(spec, '--src-type');
  if (srcType !== undefined && !typeMatches(srcType.values[0], srcType.negated, state.localIPs.has(pkt.sourceIP))) return false;
  const proto = findBase(spec, '-p');
  if (proto !== undefined && (proto.value === pkt.protocol) === proto.negated) return false;
  const dst = findBase(spec, '-d');
  if (dst !== undefined && !addressMatches(dst.value, dst.negated, pkt.destIP)) return false;
  const dstType = findMatchOption(spec, '--dst-type');
  if (dstType !== undefined && !typeMatches(dstType.values[0], dstType.negated, state.localIPs.has(pkt.destIP))) return false;
  const dport = findMatchOption(spec, '--dport');
  if (dport !== undefined && (dport.values[0] === pkt.destPort) === dport.negated) return false;
  // History (affinity, marks, connection state) is unknown to a single-packet trace.
  for (const history of ['--rcheck', '--mark', '--ctstate']) {
    if (findMatchOption(spec, history) !== undefined) return false;
  }
  return true;
}

function typeMatches(wanted: string | undefined, negated: boolean, isLocal: boolean): boolean {
  const actual = isLocal ? 'LOCAL' : 'not-matched';
  return (wanted === actual) !== negated;
}

/** IP equality, or CIDR membership when the rule value has a prefix length. */
function addressMatches(value: string, negated: boolean, ipText: string): boolean {
  const ip = parseIPSloppy(ipText);
  let matches = false;
  if (ip !== undefined) {
    if (value.includes('/')) {
      const cidr = parseCIDRSloppy(value);
      matches = cidr !== undefined && cidrContains(cidr, ip);
    } else {
      matches = parseIPSloppy(value)?.text === ip.text && parseIPSloppy(value)?.family === ip.family;
    }
  }
  return matches !== negated;
}
