// `iptables-save` rendering of kube-proxy rules: what a node prints after the restore data
// was loaded (spec kube-proxy.md section 5.8, checked against a real iptables 1.8.9 round
// trip). Works on parsed restore text, so it renders generated rules and foreign dumps alike.
//
// Differences from the restore text it applies: built-in chains (policy ACCEPT unless the
// input says otherwise) first, then user chains in byte order, rules grouped per chain in that
// order; addresses get a prefix length (`/32`, `/128`) and canonical network text; base
// matches lead in the order `-s -d -i -o -p`, then the `-m` modules in written order with
// each module's options in iptables' canonical order; comments quoted unless plain; REJECT
// gains its default `--reject-with`; MARK targets become `--set-xmark V/M`; `recent` gains
// its defaults; the statistic probability is the kernel's 31-bit fixed point printed with
// eleven decimals. No header/footer comment lines: those carry a timestamp, and the engine
// has no clock. Deleted chains (`-X`) are gone after a load and are not printed.
import { formatFixedHalfEven } from './decimal-text';
import type { IPFamily } from './ip-address';
import { parseCIDRSloppy, parseIPSloppy } from './ip-address';
import { type IptablesRuleset, builtinChains, renderIptablesRestore } from './iptables';
import {
  type BaseMatch,
  type MatchModule,
  type ParsedRestore,
  type RestoreChain,
  type RestoreRule,
  type RuleOption,
  type RuleTarget,
  parseIptablesRestore,
} from './restore-text';

/** `iptables-save` text of a generated ruleset. */
export function renderIptablesSave(ruleset: IptablesRuleset): string {
  return renderRestoreAsIptablesSave(parseIptablesRestore(renderIptablesRestore(ruleset)), ruleset.family);
}

/** Tables in the order iptables-save lists them; unknown tables follow in input order. */
const tableOrder = ['raw', 'mangle', 'filter', 'security', 'nat'];

/** `iptables-save` text of parsed restore data of one IP family. */
export function renderRestoreAsIptablesSave(parsed: ParsedRestore, family: IPFamily): string {
  const tables = [...parsed.tables].sort((a, b) => rank(a.name) - rank(b.name));
  const lines: string[] = [];
  for (const table of tables) {
    const live = table.chains.filter((c) => !c.deleted);
    const byName = new Map<string, RestoreChain>();
    for (const c of live) {
      const prev = byName.get(c.name);
      if (prev === undefined) byName.set(c.name, c);
      else prev.rules.push(...c.rules);
    }
    const builtins = (builtinChains as Record<string, readonly string[] | undefined>)[table.name] ?? [];
    const users = [...byName.keys()].filter((n) => !builtins.includes(n)).sort(byteOrder);
    lines.push(`*${table.name}`);
    for (const b of builtins) {
      const declared = byName.get(b);
      lines.push(`:${b} ${declared !== undefined && declared.policy !== '-' ? declared.policy : 'ACCEPT'} [0:0]`);
    }
    for (const u of users) lines.push(`:${u} - [0:0]`);
    for (const name of [...builtins, ...users]) {
      for (const rule of byName.get(name)?.rules ?? []) lines.push(renderRule(rule, family));
    }
    lines.push('COMMIT');
  }
  lines.push('');
  return lines.join('\n');
}

function rank(table: string): number {
  const i = tableOrder.indexOf(table);
  return i < 0 ? tableOrder.length : i;
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// One rule

const baseOrder: readonly BaseMatch['flag'][] = ['-s', '-d', '-i', '-o', '-p'];

function renderRule(rule: RestoreRule, family: IPFamily): string {
  const parts: string[] = ['-A', rule.chain];
  for (const flag of baseOrder) {
    for (const b of rule.spec.base) {
      if (b.flag !== flag) continue;
      if (b.negated) parts.push('!');
      parts.push(flag, flag === '-s' || flag === '-d' ? addressText(b.value, family) : b.value);
    }
  }
  for (const m of rule.spec.matches) parts.push(...renderMatch(m, family));
  if (rule.spec.target !== undefined) parts.push(...renderTarget(rule.spec.target, family));
  return parts.join(' ');
}

/** `IP` -> `IP/32` (or `/128`); `IP/N` -> canonical network. Unparseable text stays. */
function addressText(value: string, family: IPFamily): string {
  if (value.includes('/')) return parseCIDRSloppy(value)?.text ?? value;
  const ip = parseIPSloppy(value);
  if (ip === undefined) return value;
  return `${ip.text}/${ip.family === 'IPv4' && family === 'IPv4' ? 32 : 128}`;
}

/** Quotes a string unless it is made only of `[A-Za-z0-9_-]` (iptables' save quoting). */
function saveString(value: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(value)) return value;
  return `"${value.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

function option(o: RuleOption, ...values: string[]): string[] {
  return [...(o.negated ? ['!'] : []), o.name, ...values];
}

function find(options: readonly RuleOption[], name: string): RuleOption | undefined {
  return options.find((o) => o.name === name);
}

/** Options of `names` first, in that order, then the rest as written. */
function ordered(options: readonly RuleOption[], names: readonly string[]): RuleOption[] {
  const known = names.flatMap((n) => options.filter((o) => o.name === n));
  return [...known, ...options.filter((o) => !names.includes(o.name))];
}

function asIs(o: RuleOption): string[] {
  return option(o, ...o.values.map((v) => (/[\s"]/.test(v) || v === '' ? saveString(v) : v)));
}

const ctstateOrder = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];

function renderMatch(m: MatchModule, family: IPFamily): string[] {
  const head = m.module === '' ? [] : ['-m', m.module];
  switch (m.module) {
    case 'comment':
      return [...head, ...m.options.flatMap((o) => option(o, saveString(o.values[0] ?? '')))];
    case 'tcp':
    case 'udp':
    case 'sctp':
      return [...head, ...ordered(m.options, ['--sport', '--source-port', '--dport', '--destination-port']).flatMap(asIs)];
    case 'addrtype':
      return [...head, ...ordered(m.options, ['--src-type', '--dst-type']).flatMap(asIs)];
    case 'conntrack':
      return [
        ...head,
        ...m.options.flatMap((o) =>
          o.name === '--ctstate' ? option(o, canonicalStates(o.values[0] ?? '')) : asIs(o),
        ),
      ];
    case 'mark':
      return [...head, ...m.options.flatMap((o) => (o.name === '--mark' ? option(o, markText(o.values[0] ?? '')) : asIs(o)))];
    case 'statistic':
      return [
        ...head,
        ...ordered(m.options, ['--mode', '--probability', '--every', '--packet']).flatMap((o) =>
          o.name === '--probability' ? option(o, kernelProbability(o.values[0] ?? '')) : asIs(o),
        ),
      ];
    case 'recent':
      return [...head, ...renderRecent(m.options, family)];
    case 'nfacct':
      // iptables prints this option with two spaces before the name (the empty word).
      return [...head, ...m.options.flatMap((o) => (o.name === '--nfacct-name' ? option(o, '', o.values[0] ?? '') : asIs(o)))];
    default:
      return [...head, ...m.options.flatMap(asIs)];
  }
}

function canonicalStates(value: string): string {
  const states = value.split(',');
  const known = ctstateOrder.filter((s) => states.includes(s));
  return [...known, ...states.filter((s) => !ctstateOrder.includes(s))].join(',');
}

/** `V[/M]` as iptables prints marks: lower-case hex, mask omitted when all ones. */
function markText(value: string): string {
  const [v, m] = value.split('/');
  const num = parseMarkNumber(v ?? '');
  const mask = m === undefined ? 0xffffffff : parseMarkNumber(m);
  if (num === undefined || mask === undefined) return value;
  return mask === 0xffffffff ? hex(num) : `${hex(num)}/${hex(mask)}`;
}

function parseMarkNumber(text: string): number | undefined {
  const t = text.trim();
  if (!/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(t)) return undefined;
  const n = Number(t);
  return n <= 0xffffffff ? n : undefined;
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** The kernel keeps `round(p * 2^31)`; iptables prints it back with `%.11f`. */
function kernelProbability(value: string): string {
  const p = Number(value);
  if (!Number.isFinite(p)) return value;
  const stored = Math.round(0x80000000 * p);
  return formatFixedHalfEven(stored / 0x80000000, 11);
}

function renderRecent(options: readonly RuleOption[], family: IPFamily): string[] {
  const out: string[] = [];
  const has = (n: string) => find(options, n) !== undefined;
  const modes = ['--set', '--rcheck', '--update', '--remove'].filter(has);
  if (options.some((o) => o.negated && modes.includes(o.name))) out.push('!');
  out.push(...modes);
  const seconds = find(options, '--seconds');
  if (seconds !== undefined) out.push('--seconds', seconds.values[0] ?? '');
  if (has('--reap')) out.push('--reap');
  const hitcount = find(options, '--hitcount');
  if (hitcount !== undefined) out.push('--hitcount', hitcount.values[0] ?? '');
  if (has('--rttl')) out.push('--rttl');
  const name = find(options, '--name');
  out.push('--name', name?.values[0] ?? 'DEFAULT');
  const mask = find(options, '--mask');
  out.push('--mask', mask?.values[0] ?? (family === 'IPv4' ? '255.255.255.255' : 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'));
  out.push(has('--rdest') ? '--rdest' : '--rsource');
  return out;
}

function renderTarget(t: RuleTarget, family: IPFamily): string[] {
  const head = [t.isGoto ? '-g' : '-j', t.name];
  switch (t.name) {
    case 'REJECT': {
      const withOpt = find(t.options, '--reject-with');
      return [...head, '--reject-with', withOpt?.values[0] ?? (family === 'IPv4' ? 'icmp-port-unreachable' : 'icmp6-port-unreachable')];
    }
    case 'MARK':
      return [...head, ...t.options.flatMap(markTargetOption)];
    case 'MASQUERADE':
      return [...head, ...ordered(t.options, ['--to-ports', '--random', '--random-fully']).flatMap(asIs)];
    case 'DNAT':
      return [...head, ...t.options.flatMap((o) => (o.name === '--to-destination' ? option(o, dnatText(o.values[0] ?? '')) : asIs(o)))];
    default:
      return [...head, ...t.options.flatMap(asIs)];
  }
}

/** MARK's shorthand options all print as `--set-xmark VALUE/MASK`. */
function markTargetOption(o: RuleOption): string[] {
  const raw = o.values[0] ?? '';
  const [vText, mText] = raw.split('/');
  const v = parseMarkNumber(vText ?? '');
  if (v === undefined) return asIs(o);
  switch (o.name) {
    case '--or-mark':
      return ['--set-xmark', `${hex(v)}/${hex(v)}`];
    case '--xor-mark':
      return ['--set-xmark', `${hex(v)}/0x0`];
    case '--and-mark':
      return ['--set-xmark', `0x0/${hex(~v >>> 0)}`];
    case '--set-mark':
    case '--set-xmark': {
      const m = mText === undefined ? 0xffffffff : parseMarkNumber(mText);
      if (m === undefined) return asIs(o);
      return ['--set-xmark', `${hex(v)}/${hex(m)}`];
    }
    default:
      return asIs(o);
  }
}

/** Canonical address inside `IP:PORT` / `[IPv6]:PORT`. */
function dnatText(value: string): string {
  const v6 = /^\[([^\]]+)\](:.*)?$/.exec(value);
  if (v6 !== null) {
    const ip = parseIPSloppy(v6[1]!);
    return ip === undefined ? value : `[${ip.text}]${v6[2] ?? ''}`;
  }
  const colon = value.indexOf(':');
  const host = colon < 0 ? value : value.slice(0, colon);
  const ip = parseIPSloppy(host);
  return ip === undefined ? value : `${ip.text}${colon < 0 ? '' : value.slice(colon)}`;
}
