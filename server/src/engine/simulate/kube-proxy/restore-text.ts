// Reading `iptables-restore` text back into structure: tables, chain declarations, and each
// `-A` rule split into base matches (`-s -d -p -i -o`), match modules with their options and
// the target with its options. The packet tracer and the `iptables-save` renderer work on
// this structure, so both judge the generated text itself rather than generator internals.
//
// Option ownership follows iptables' command line: an option belongs to the most recent `-m`
// module (or to the target once `-j` was seen); `!` negates the next option or base match.
// Options take one value except the known flags below. Never throws: lines it cannot place
// are reported in `problems` and skipped.

export interface RuleOption {
  readonly name: string;
  readonly negated: boolean;
  readonly values: readonly string[];
}

/** `-s`, `-d`, `-p`, `-i`, `-o` (long forms are mapped to these). */
export interface BaseMatch {
  readonly flag: '-s' | '-d' | '-p' | '-i' | '-o';
  readonly negated: boolean;
  readonly value: string;
}

export interface MatchModule {
  readonly module: string;
  readonly options: readonly RuleOption[];
}

export interface RuleTarget {
  readonly name: string;
  /** `-g` (goto) instead of `-j`. */
  readonly isGoto: boolean;
  readonly options: readonly RuleOption[];
}

export interface RuleSpec {
  readonly base: readonly BaseMatch[];
  readonly matches: readonly MatchModule[];
  readonly target: RuleTarget | undefined;
}

export interface RestoreRule {
  readonly chain: string;
  /** The rule line as written (`-A CHAIN ...`). */
  readonly raw: string;
  readonly spec: RuleSpec;
}

export interface RestoreChain {
  readonly name: string;
  /** `-` for user chains, a policy such as `ACCEPT` for built-in chains. */
  readonly policy: string;
  readonly rules: RestoreRule[];
  deleted: boolean;
}

export interface RestoreTable {
  readonly name: string;
  readonly chains: RestoreChain[];
}

export interface ParsedRestore {
  readonly tables: readonly RestoreTable[];
  readonly problems: readonly string[];
}

/** Parses restore (or save) text; `#` lines, blank lines and counters are ignored. */
export function parseIptablesRestore(text: string): ParsedRestore {
  const tables: RestoreTable[] = [];
  const problems: string[] = [];
  let table: RestoreTable | undefined;
  let chains = new Map<string, RestoreChain>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      table = { name: line.slice(1), chains: [] };
      tables.push(table);
      chains = new Map();
      continue;
    }
    if (table === undefined) {
      problems.push(`line ${i + 1}: outside a table`);
      continue;
    }
    if (line === 'COMMIT') {
      table = undefined;
      continue;
    }
    if (line.startsWith(':')) {
      const words = line.slice(1).split(/\s+/);
      const chain: RestoreChain = { name: words[0] ?? '', policy: words[1] ?? '-', rules: [], deleted: false };
      table.chains.push(chain);
      chains.set(chain.name, chain);
      continue;
    }
    const tokens = tokenizeRuleLine(line);
    const op = tokens[0];
    const chain = chains.get(tokens[1] ?? '');
    if ((op === '-A' || op === '--append') && chain !== undefined) {
      chain.rules.push({ chain: chain.name, raw: line, spec: parseRuleSpec(tokens.slice(2)) });
    } else if ((op === '-X' || op === '--delete-chain') && chain !== undefined) {
      chain.deleted = true;
    } else {
      problems.push(`line ${i + 1}: cannot place "${line}"`);
    }
  }
  return { tables, problems };
}

/** Splits a rule line into words; double quotes group words and are removed. */
export function tokenizeRuleLine(line: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) current += line[++i];
      else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') {
      quoted = true;
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) tokens.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (inWord) tokens.push(current);
  return tokens;
}

/** Options that take no value (the rest take exactly one). */
const flagOptions = new Set([
  '--rcheck',
  '--set',
  '--update',
  '--remove',
  '--reap',
  '--rttl',
  '--rsource',
  '--rdest',
  '--random',
  '--random-fully',
  '--persistent',
]);

const baseFlags: Readonly<Record<string, BaseMatch['flag']>> = {
  '-s': '-s',
  '--source': '-s',
  '--src': '-s',
  '-d': '-d',
  '--destination': '-d',
  '--dst': '-d',
  '-p': '-p',
  '--protocol': '-p',
  '-i': '-i',
  '--in-interface': '-i',
  '-o': '-o',
  '--out-interface': '-o',
};

/** Structures the words after `-A CHAIN`. */
export function parseRuleSpec(tokens: readonly string[]): RuleSpec {
  const base: BaseMatch[] = [];
  const matches: Array<{ module: string; options: RuleOption[] }> = [];
  let target: { name: string; isGoto: boolean; options: RuleOption[] } | undefined;
  let negated = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '!') {
      negated = true;
      continue;
    }
    const flag = baseFlags[t];
    if (flag !== undefined) {
      base.push({ flag, negated, value: tokens[++i] ?? '' });
    } else if (t === '-m' || t === '--match') {
      matches.push({ module: tokens[++i] ?? '', options: [] });
    } else if (t === '-j' || t === '--jump' || t === '-g' || t === '--goto') {
      target = { name: tokens[++i] ?? '', isGoto: t === '-g' || t === '--goto', options: [] };
    } else {
      const values = flagOptions.has(t) ? [] : [tokens[++i] ?? ''];
      const option: RuleOption = { name: t, negated, values };
      if (target !== undefined) target.options.push(option);
      else if (matches.length > 0) matches[matches.length - 1]!.options.push(option);
      else matches.push({ module: '', options: [option] });
    }
    negated = false;
  }
  return { base, matches, target };
}

/** The first match option called `name` (e.g. `--dport`), from any module. */
export function findMatchOption(spec: RuleSpec, name: string): RuleOption | undefined {
  for (const m of spec.matches) {
    for (const o of m.options) if (o.name === name) return o;
  }
  return undefined;
}

/** The first base match with `flag`. */
export function findBase(spec: RuleSpec, flag: BaseMatch['flag']): BaseMatch | undefined {
  return spec.base.find((b) => b.flag === flag);
}
