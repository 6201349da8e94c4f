// The nftables transaction Kubeglass simulates for kube-proxy's nftables mode: plain data for
// the `add table|chain|set|map|rule|element` commands, the two text renderings of it, and a
// parser that reads such text back.
//
// Owns:
// - `NftTransaction` / `NftCommand`: the commands in the order kube-proxy writes them
//   (spec kube-proxy.md section 7). Only `add` commands exist: a stateless simulation never
//   flushes or deletes (those are history effects, section 7 last paragraph).
// - `renderNftTransaction`: one `add ...` line per command, in write order. Equal to the
//   upstream vectors' `expected.nft` after the comparison normalisation of
//   testdata/kube-proxy/README.md ("nftables full dumps").
// - `renderNftLoadable`: the same lines stably reordered table, chain, set, map, rule,
//   element, so that `nft -f` sees every object before it is referenced (README "Load checks").
// - `parseNftTransaction`: text in the format above back to commands (round trip with
//   `renderNftTransaction`); lines it does not understand become problems, never exceptions.
//
// Deliberately absent: nft's own `list ruleset` syntax, and any set/map semantics (the tracer in
// nft-trace.ts interprets the commands).

export type NftFamily = 'ip' | 'ip6';

export interface NftBaseChainSpec {
  readonly type: 'filter' | 'nat';
  readonly hook: 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';
  readonly priority: number;
}

export type NftCommand =
  | { readonly kind: 'table'; readonly comment?: string }
  | { readonly kind: 'chain'; readonly name: string; readonly base?: NftBaseChainSpec; readonly comment?: string }
  | {
      readonly kind: 'set';
      readonly name: string;
      readonly type: string;
      readonly flags?: readonly string[];
      /** Element timeout in seconds. */
      readonly timeoutSeconds?: number;
      readonly comment?: string;
    }
  | { readonly kind: 'map'; readonly name: string; readonly type: string; readonly comment?: string }
  | { readonly kind: 'rule'; readonly chain: string; readonly rule: string; readonly comment?: string }
  | {
      readonly kind: 'element';
      /** Name of the set or map the element belongs to. */
      readonly target: string;
      readonly key: readonly string[];
      /** Verdict (maps only), e.g. `goto reject-chain` or `drop`. */
      readonly value?: string;
      readonly comment?: string;
    };

export type NftCommandKind = NftCommand['kind'];

export interface NftTransaction {
  readonly family: NftFamily;
  readonly table: string;
  readonly commands: readonly NftCommand[];
}

/** Renders every command as one `add ...` line, in transaction order, newline-terminated. */
export function renderNftTransaction(tx: NftTransaction): string {
  const out = new LineParts(tx);
  for (const c of tx.commands) out.command(c);
  return out.text();
}

/** Object order a loader needs: declarations before anything refers to them. */
const LOAD_ORDER: Readonly<Record<NftCommandKind, number>> = {
  table: 0,
  chain: 1,
  set: 2,
  map: 3,
  rule: 4,
  element: 5,
};

/**
 * Renders the transaction for `nft -f`: the lines of `renderNftTransaction`, stably sorted
 * table, chain, set, map, rule, element (rules and elements keep their relative order, so rule
 * order within each chain is preserved).
 */
export function renderNftLoadable(tx: NftTransaction): string {
  const indexed = tx.commands.map((c, i) => ({ c, i }));
  indexed.sort((a, b) => LOAD_ORDER[a.c.kind] - LOAD_ORDER[b.c.kind] || a.i - b.i);
  const out = new LineParts(tx);
  for (const { c } of indexed) out.command(c);
  return out.text();
}

/**
 * The pieces of the rendered text in order, joined once: a line is appended as its parts, so
 * no per-line string is built (a full sync renders hundreds of thousands of lines). Comments
 * are written in double quotes as they are.
 */
class LineParts {
  private readonly parts: string[] = [];
  /** `add KIND FAMILY TABLE ` for every command kind. */
  private readonly heads: Readonly<Record<NftCommandKind, string>>;

  constructor(tx: NftTransaction) {
    const where = `${tx.family} ${tx.table}`;
    this.heads = {
      table: `add table ${where}`,
      chain: `add chain ${where} `,
      set: `add set ${where} `,
      map: `add map ${where} `,
      rule: `add rule ${where} `,
      element: `add element ${where} `,
    };
  }

  text(): string {
    return this.parts.join('');
  }

  command(c: NftCommand): void {
    const p = this.parts;
    switch (c.kind) {
      case 'table':
        p.push(this.heads.table);
        if (c.comment !== undefined) p.push(' { comment "', c.comment, '" ; }');
        break;
      case 'chain':
        p.push(this.heads.chain, c.name);
        if (c.base !== undefined || c.comment !== undefined) {
          p.push(' {');
          if (c.base) p.push(' type ', c.base.type, ' hook ', c.base.hook, ' priority ', String(c.base.priority), ' ;');
          if (c.comment !== undefined) p.push(' comment "', c.comment, '" ;');
          p.push(' }');
        }
        break;
      case 'set':
        p.push(this.heads.set, c.name, ' { type ', c.type, ' ;');
        if (c.flags && c.flags.length > 0) p.push(' flags ', c.flags.join(','), ' ;');
        if (c.timeoutSeconds !== undefined) p.push(' timeout ', String(c.timeoutSeconds), 's ;');
        if (c.comment !== undefined) p.push(' comment "', c.comment, '" ;');
        p.push(' }');
        break;
      case 'map':
        p.push(this.heads.map, c.name, ' { type ', c.type, ' ;');
        if (c.comment !== undefined) p.push(' comment "', c.comment, '" ;');
        p.push(' }');
        break;
      case 'rule':
        p.push(this.heads.rule, c.chain, ' ', c.rule);
        if (c.comment !== undefined) p.push(' comment "', c.comment, '"');
        break;
      case 'element':
        p.push(this.heads.element, c.target, ' { ');
        for (let i = 0; i < c.key.length; i++) {
          if (i > 0) p.push(' . ');
          p.push(c.key[i]!);
        }
        if (c.comment !== undefined) p.push(' comment "', c.comment, '"');
        if (c.value !== undefined) p.push(' : ', c.value);
        p.push(' }');
        break;
    }
    p.push('\n');
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing

export interface NftParseResult {
  readonly transaction: NftTransaction;
  /** One message per line that could not be read (the line is skipped). */
  readonly problems: readonly string[];
}

const ADD_LINE = /^add (table|chain|set|map|rule|element) (ip6?|inet) (\S+)(?: (.*))?$/;

/**
 * Reads `add ...` lines (blank lines and `#` comment lines are skipped). The family and table
 * are taken from the first command; commands for another table are reported and skipped.
 */
export function parseNftTransaction(text: string): NftParseResult {
  const commands: NftCommand[] = [];
  const problems: string[] = [];
  let family: NftFamily | undefined;
  let table: string | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = ADD_LINE.exec(line);
    if (!m) {
      problems.push(`line ${i + 1}: not an "add" command: ${line}`);
      continue;
    }
    const [, kind, fam, tbl, rest = ''] = m;
    if (fam === 'inet') {
      problems.push(`line ${i + 1}: inet tables are not simulated`);
      continue;
    }
    family ??= fam as NftFamily;
    table ??= tbl;
    if (fam !== family || tbl !== table) {
      problems.push(`line ${i + 1}: command for another table ${fam} ${tbl}`);
      continue;
    }
    const command = parseCommand(kind as NftCommandKind, rest);
    if (typeof command === 'string') problems.push(`line ${i + 1}: ${command}`);
    else commands.push(command);
  }
  return { transaction: { family: family ?? 'ip', table: table ?? 'kube-proxy', commands }, problems };
}

/** Returns the command, or a problem message. */
function parseCommand(kind: NftCommandKind, rest: string): NftCommand | string {
  switch (kind) {
    case 'table': {
      const props = parseBlock(rest);
      if (props === undefined) return `bad table properties: ${rest}`;
      const comment = props.comment;
      return comment === undefined ? { kind } : { kind, comment };
    }
    case 'chain':
    case 'set':
    case 'map': {
      const sp = rest.indexOf(' ');
      const name = sp < 0 ? rest : rest.slice(0, sp);
      if (name === '') return `${kind} without a name`;
      const props = parseBlock(sp < 0 ? '' : rest.slice(sp + 1));
      if (props === undefined) return `bad ${kind} properties: ${rest}`;
      return objectCommand(kind, name, props);
    }
    case 'rule': {
      const sp = rest.indexOf(' ');
      if (sp < 0) return `rule without a body: ${rest}`;
      const chain = rest.slice(0, sp);
      let rule = rest.slice(sp + 1);
      const cm = / comment "([^"]*)"$/.exec(rule);
      if (cm) rule = rule.slice(0, cm.index);
      return cm ? { kind, chain, rule, comment: cm[1] } : { kind, chain, rule };
    }
    case 'element': {
      const m = /^(\S+) \{ (.*) \}$/.exec(rest);
      if (!m) return `bad element: ${rest}`;
      const em = /^(.*?)(?: comment "([^"]*)")?(?: : (.*))?$/.exec(m[2]);
      if (!em) return `bad element body: ${m[2]}`;
      const key = em[1].split(' . ');
      const out: { kind: 'element'; target: string; key: string[]; value?: string; comment?: string } = {
        kind,
        target: m[1],
        key,
      };
      if (em[2] !== undefined) out.comment = em[2];
      if (em[3] !== undefined) out.value = em[3];
      return out;
    }
  }
}

type BlockProps = Readonly<Record<string, string>>;

/** Reads `{ key value ; key value ; }` into a record; empty text gives an empty record. */
function parseBlock(text: string): BlockProps | undefined {
  const t = text.trim();
  if (t === '') return {};
  if (!t.startsWith('{') || !t.endsWith('}')) return undefined;
  const props: Record<string, string> = {};
  for (const part of t.slice(1, -1).split(';')) {
    const p = part.trim();
    if (p === '') continue;
    const sp = p.indexOf(' ');
    if (sp < 0) return undefined;
    const key = p.slice(0, sp);
    let value = p.slice(sp + 1);
    if (key === 'comment') {
      const q = /^"([^"]*)"$/.exec(value);
      if (!q) return undefined;
      value = q[1];
    }
    props[key] = value;
  }
  return props;
}

function objectCommand(kind: 'chain' | 'set' | 'map', name: string, props: BlockProps): NftCommand | string {
  const comment = props.comment;
  if (kind === 'chain') {
    const typeText = props.type;
    if (typeText === undefined) return comment === undefined ? { kind, name } : { kind, name, comment };
    const m = /^(filter|nat) hook (prerouting|input|forward|output|postrouting) priority (-?\d+)$/.exec(typeText);
    if (!m) return `unsupported base chain definition: ${typeText}`;
    const base: NftBaseChainSpec = {
      type: m[1] as NftBaseChainSpec['type'],
      hook: m[2] as NftBaseChainSpec['hook'],
      priority: Number(m[3]),
    };
    return comment === undefined ? { kind, name, base } : { kind, name, base, comment };
  }
  const type = props.type;
  if (type === undefined) return `${kind} ${name} has no type`;
  if (kind === 'map') return comment === undefined ? { kind, name, type } : { kind, name, type, comment };
  const out: {
    kind: 'set';
    name: string;
    type: string;
    flags?: string[];
    timeoutSeconds?: number;
    comment?: string;
  } = { kind, name, type };
  if (props.flags !== undefined) out.flags = props.flags.split(',');
  if (props.timeout !== undefined) {
    const tm = /^(\d+)s$/.exec(props.timeout);
    if (!tm) return `unsupported timeout ${props.timeout}`;
    out.timeoutSeconds = Number(tm[1]);
  }
  if (comment !== undefined) out.comment = comment;
  return out;
}
