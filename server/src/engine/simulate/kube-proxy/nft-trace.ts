// Packet tracer over a kube-proxy nftables transaction: where does a new connection from
// `sourceIP` to `destIP:destPort` end up, and is it marked for masquerading?
//
// Semantics (testdata/kube-proxy/README.md, "nftables tracer"; spec kube-proxy.md section 7):
// - Chains run in hook order: `filter-prerouting-pre-dnat` (firewall checks on the original
//   destination), then `nat-prerouting` (service dispatch). If a DNAT happened, the destination
//   IP becomes the first DNAT target's IP (the port is left as is), then `filter-forward` runs
//   and, unless it ended the packet, `filter-input`.
// - Set and map lookups (`@cluster-ips`, `@service-ips`, `@no-endpoint-services`, ...) are
//   evaluated against the transaction's elements. Dynamic sets (affinity) have no elements, so
//   affinity lookups never match: the trace shows every endpoint a new client can reach.
// - `numgen random mod N vmap { ... }` visits every endpoint chain and then ends the packet,
//   so all possible DNAT destinations are collected in rule order.
// - `jump mark-for-masquerade` only sets `masq` (the chain itself and `masquerading` are not
//   interpreted). `jump` returns to the next rule unless the callee ended the packet; `goto`
//   returns to the caller's caller. `drop`/`reject`/`accept` record DROP/REJECT/ACCEPT and end
//   the packet; `dnat to` records the destination and ends the packet.
// - `fib saddr|daddr type local` tests membership in `localIPs` (node addresses, no loopback).
// - `ct state new` always holds (only new connections are traced). Interface matches (`iif`,
//   `iifname`) cannot be decided for a packet without an interface: `iif X` is false and
//   `iif != X` is true.
// Expressions the tracer does not know make the rule not match and are listed in
// `unsupported`; the tracer never throws.
import { cidrContains, parseCIDRSloppy, parseIPSloppy, type ParsedIP } from './ip-address';
import type { NftCommand, NftTransaction } from './nft-transaction';

export interface NftPacket {
  readonly sourceIP: string;
  /** Lower-case `tcp`, `udp` or `sctp`. */
  readonly protocol: string;
  readonly destIP: string;
  readonly destPort: number;
}

export interface NftTraceOptions {
  /** Addresses for which `fib ... type local` holds. */
  readonly localIPs: readonly string[];
}

export interface NftTraceHop {
  readonly chain: string;
  /** The rule as written (including its trailing comment, if any). */
  readonly rule: string;
  /** The action the rule took: `jump X`, `goto X`, `dnat to X`, `drop`, `reject`, ... */
  readonly verdict?: string;
}

export interface NftTraceResult {
  /** Comma+space separated DNAT destinations in rule order, or ACCEPT/DROP/REJECT, or "". */
  readonly output: string;
  readonly masq: boolean;
  readonly hops: readonly NftTraceHop[];
  /** Rules or expressions the tracer could not interpret (empty for Kubeglass's own output). */
  readonly unsupported: readonly string[];
}

/** Traces one packet; see the file header for the semantics. */
export function traceNftPacket(tx: NftTransaction, packet: NftPacket, options: NftTraceOptions): NftTraceResult {
  const tracer = new Tracer(indexTransaction(tx), packet, options);
  return tracer.run();
}

const MASQ_CHAIN = 'mark-for-masquerade';

interface RuleEntry {
  readonly rule: string;
  readonly written: string;
}

interface ElementEntry {
  readonly key: readonly string[];
  readonly value?: string;
}

interface TransactionIndex {
  readonly chains: ReadonlyMap<string, readonly RuleEntry[]>;
  /** Sets and maps by name. */
  readonly collections: ReadonlyMap<string, readonly ElementEntry[]>;
}

function indexTransaction(tx: NftTransaction): TransactionIndex {
  const chains = new Map<string, RuleEntry[]>();
  const collections = new Map<string, ElementEntry[]>();
  const rulesOf = (name: string): RuleEntry[] => {
    let list = chains.get(name);
    if (!list) chains.set(name, (list = []));
    return list;
  };
  const elementsOf = (name: string): ElementEntry[] => {
    let list = collections.get(name);
    if (!list) collections.set(name, (list = []));
    return list;
  };
  for (const c of tx.commands as readonly NftCommand[]) {
    switch (c.kind) {
      case 'chain':
        rulesOf(c.name);
        break;
      case 'set':
      case 'map':
        elementsOf(c.name);
        break;
      case 'rule':
        rulesOf(c.chain).push({
          rule: c.rule,
          written: c.comment === undefined ? c.rule : `${c.rule} comment "${c.comment}"`,
        });
        break;
      case 'element':
        elementsOf(c.target).push(c.value === undefined ? { key: c.key } : { key: c.key, value: c.value });
        break;
      case 'table':
        break;
    }
  }
  return { chains, collections };
}

/** Outcome of interpreting one piece of a rule. */
type Step =
  | { readonly kind: 'next'; readonly rest: string } // matched; continue with the rest of the rule
  | { readonly kind: 'fail' } // the rule does not match; go to the next rule
  | { readonly kind: 'exit'; readonly terminal: boolean }; // leave this chain

const MAX_DEPTH = 64;

class Tracer {
  private readonly outputs: string[] = [];
  private readonly hops: NftTraceHop[] = [];
  private readonly unsupported: string[] = [];
  private masq = false;
  private destIP: string;
  private readonly localIPs: readonly ParsedIP[];

  constructor(
    private readonly index: TransactionIndex,
    private readonly packet: NftPacket,
    options: NftTraceOptions,
  ) {
    this.destIP = packet.destIP;
    this.localIPs = options.localIPs.flatMap((s) => parseIPSloppy(s) ?? []);
  }

  run(): NftTraceResult {
    if (!this.runBaseChain('filter-prerouting-pre-dnat')) {
      this.runBaseChain('nat-prerouting');
      const host = this.outputs.length > 0 ? endpointHost(this.outputs[0]) : undefined;
      if (host !== undefined) this.destIP = host;
      if (!this.runBaseChain('filter-forward')) this.runBaseChain('filter-input');
    }
    return {
      output: this.outputs.join(', '),
      masq: this.masq,
      hops: this.hops,
      unsupported: this.unsupported,
    };
  }

  private runBaseChain(name: string): boolean {
    if (!this.index.chains.has(name)) {
      this.unsupported.push(`base chain ${name} is missing`);
      return false;
    }
    return this.runChain(name, 0);
  }

  /** Runs a chain; returns true when the packet's fate was decided (a terminal verdict). */
  private runChain(name: string, depth: number): boolean {
    const rules = this.index.chains.get(name);
    if (!rules) {
      this.unsupported.push(`unknown chain ${name}`);
      return true;
    }
    if (depth > MAX_DEPTH) {
      this.unsupported.push(`chain nesting deeper than ${MAX_DEPTH} at ${name}`);
      return true;
    }
    for (const entry of rules) {
      let rest = entry.rule;
      for (;;) {
        rest = rest.trimStart();
        if (rest === '') break;
        const step = this.step(name, entry, rest, depth);
        if (step.kind === 'fail') break;
        if (step.kind === 'exit') return step.terminal;
        rest = step.rest;
      }
    }
    return false;
  }

  /** Interprets the expression or statement at the start of `rest`. */
  private step(chain: string, entry: RuleEntry, rest: string, depth: number): Step {
    let m: RegExpExecArray | null;
    const p = this.packet;

    if ((m = /^ct state new\b/.exec(rest))) return next(rest, m);

    // Verdict-map dispatch on destination . protocol . port, or protocol . port.
    if ((m = /^ip6? daddr \. meta l4proto \. th dport vmap @(\S+)$/.exec(rest))) {
      const el = this.lookup(m[1], (k) => k.length === 3 && this.addressIs(this.destIP, k[0]) && k[1] === p.protocol && k[2] === String(p.destPort));
      return this.mapVerdict(chain, entry, el, depth);
    }
    if ((m = /^meta l4proto \. th dport vmap @(\S+)$/.exec(rest))) {
      const el = this.lookup(m[1], (k) => k.length === 2 && k[0] === p.protocol && k[1] === String(p.destPort));
      return this.mapVerdict(chain, entry, el, depth);
    }
    // Set membership on concatenations.
    if ((m = /^ip6? daddr \. meta l4proto \. th dport \. ip6? saddr @(\S+)/.exec(rest))) {
      const el = this.lookup(
        m[1],
        (k) => k.length === 4 && this.addressIs(this.destIP, k[0]) && k[1] === p.protocol && k[2] === String(p.destPort) && this.addressIs(p.sourceIP, k[3]),
      );
      return el ? next(rest, m) : FAIL;
    }
    if ((m = /^ip6? daddr \. meta l4proto \. th dport @(\S+)/.exec(rest))) {
      const el = this.lookup(m[1], (k) => k.length === 3 && this.addressIs(this.destIP, k[0]) && k[1] === p.protocol && k[2] === String(p.destPort));
      return el ? next(rest, m) : FAIL;
    }
    if ((m = /^meta l4proto \. th dport @(\S+)/.exec(rest))) {
      const el = this.lookup(m[1], (k) => k.length === 2 && k[0] === p.protocol && k[1] === String(p.destPort));
      return el ? next(rest, m) : FAIL;
    }
    // Address tests: named set, anonymous set, literal.
    if ((m = /^ip6? (saddr|daddr) (!= )?@(\S+)/.exec(rest))) {
      const addr = m[1] === 'saddr' ? p.sourceIP : this.destIP;
      const found = this.lookup(m[3], (k) => k.length === 1 && this.addressIs(addr, k[0])) !== undefined;
      return found === (m[2] === undefined) ? next(rest, m) : FAIL;
    }
    if ((m = /^ip6? (saddr|daddr) (!= )?\{([^}]*)\}/.exec(rest))) {
      const addr = m[1] === 'saddr' ? p.sourceIP : this.destIP;
      const any = m[3]
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .some((s) => this.addressIs(addr, s));
      return any === (m[2] === undefined) ? next(rest, m) : FAIL;
    }
    if ((m = /^ip6? (saddr|daddr) (!= )?([0-9A-Fa-f.:/]+)(?=\s|$)/.exec(rest))) {
      const addr = m[1] === 'saddr' ? p.sourceIP : this.destIP;
      return this.addressIs(addr, m[3]) === (m[2] === undefined) ? next(rest, m) : FAIL;
    }
    if ((m = /^fib (saddr|daddr) type local\b/.exec(rest))) {
      const addr = parseIPSloppy(m[1] === 'saddr' ? p.sourceIP : this.destIP);
      return addr !== undefined && this.localIPs.some((l) => sameIP(l, addr)) ? next(rest, m) : FAIL;
    }
    if ((m = /^(tcp|udp|sctp) dport (\d+)\b/.exec(rest))) {
      return m[1] === p.protocol && m[2] === String(p.destPort) ? next(rest, m) : FAIL;
    }
    if ((m = /^iif(?:name)? (!= )?"?[^\s"]+"?/.exec(rest))) {
      // The traced packet has no input interface: positive tests fail, negated ones hold.
      return m[1] !== undefined ? next(rest, m) : FAIL;
    }
    if ((m = /^meta l4proto (tcp|udp|sctp) dnat to (\S+)$/.exec(rest))) {
      if (m[1] !== p.protocol) return FAIL;
      this.hops.push({ chain, rule: entry.written, verdict: `dnat to ${m[2]}` });
      this.outputs.push(m[2]);
      return EXIT_TERMINAL;
    }
    if ((m = /^update @\S+ \{ ip6? saddr \}/.exec(rest))) return next(rest, m);
    if ((m = /^numgen random mod \d+ vmap \{(.*)\}$/.exec(rest))) {
      for (const em of m[1].matchAll(/\d+ : goto (\S+)/g)) {
        this.hops.push({ chain, rule: entry.written, verdict: `goto ${em[1]}` });
        // Every endpoint ends in a DNAT; collect them all rather than stopping at the first.
        this.runChain(em[1], depth + 1);
      }
      return EXIT_TERMINAL;
    }
    return this.verdict(chain, entry, rest, depth);
  }

  /** Interprets a verdict statement (also used for verdict-map values). */
  private verdict(chain: string, entry: RuleEntry, text: string, depth: number): Step {
    let m: RegExpExecArray | null;
    if ((m = /^jump (\S+)$/.exec(text))) {
      this.hops.push({ chain, rule: entry.written, verdict: `jump ${m[1]}` });
      if (m[1] === MASQ_CHAIN) {
        this.masq = true;
        return { kind: 'next', rest: '' };
      }
      return this.runChain(m[1], depth + 1) ? EXIT_TERMINAL : { kind: 'next', rest: '' };
    }
    if ((m = /^goto (\S+)$/.exec(text))) {
      this.hops.push({ chain, rule: entry.written, verdict: `goto ${m[1]}` });
      if (m[1] === MASQ_CHAIN) {
        this.masq = true;
        return EXIT_RETURN;
      }
      return this.runChain(m[1], depth + 1) ? EXIT_TERMINAL : EXIT_RETURN;
    }
    if ((m = /^(drop|reject|accept)$/.exec(text))) {
      this.hops.push({ chain, rule: entry.written, verdict: m[1] });
      this.outputs.push(m[1].toUpperCase());
      return EXIT_TERMINAL;
    }
    if (/^return$/.test(text)) {
      this.hops.push({ chain, rule: entry.written, verdict: 'return' });
      return EXIT_RETURN;
    }
    this.unsupported.push(`${chain}: cannot interpret "${text}" in rule "${entry.written}"`);
    return FAIL;
  }

  private mapVerdict(chain: string, entry: RuleEntry, el: ElementEntry | undefined, depth: number): Step {
    if (!el) return FAIL;
    if (el.value === undefined) {
      this.unsupported.push(`${chain}: map element ${el.key.join(' . ')} has no verdict`);
      return FAIL;
    }
    return this.verdict(chain, entry, el.value, depth);
  }

  private lookup(name: string, matches: (key: readonly string[]) => boolean): ElementEntry | undefined {
    const elements = this.index.collections.get(name);
    if (!elements) {
      this.unsupported.push(`unknown set or map @${name}`);
      return undefined;
    }
    return elements.find((e) => matches(e.key));
  }

  /** Whether the packet address `addr` equals the IP, or lies inside the CIDR, `spec`. */
  private addressIs(addr: string, spec: string): boolean {
    const ip = parseIPSloppy(addr);
    if (!ip) return false;
    if (spec.includes('/')) {
      const cidr = parseCIDRSloppy(spec);
      return cidr !== undefined && cidrContains(cidr, ip);
    }
    const other = parseIPSloppy(spec);
    return other !== undefined && sameIP(ip, other);
  }
}

function sameIP(a: ParsedIP, b: ParsedIP): boolean {
  return a.family === b.family && a.text === b.text;
}

const FAIL: Step = { kind: 'fail' };
const EXIT_TERMINAL: Step = { kind: 'exit', terminal: true };
const EXIT_RETURN: Step = { kind: 'exit', terminal: false };

function next(rest: string, m: RegExpExecArray): Step {
  return { kind: 'next', rest: rest.slice(m[0].length) };
}

/** `10.0.0.1:80` -> `10.0.0.1`, `[fd00::1]:80` -> `fd00::1`; anything else -> undefined. */
function endpointHost(endpoint: string): string | undefined {
  const v6 = /^\[([^\]]+)\]:\d+$/.exec(endpoint);
  if (v6) return v6[1];
  const v4 = /^([^:]+):\d+$/.exec(endpoint);
  return v4 ? v4[1] : undefined;
}
