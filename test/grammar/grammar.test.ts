// The TextMate grammars in syntaxes/, tokenised with the same engine VS Code uses
// (vscode-textmate + oniguruma). The expected scopes were reviewed by hand against the rule text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';
import { repoRoot } from '../support/paths';

const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
const onigLib = oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)).then(() => ({
  createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
  createOnigString: (s: string) => new oniguruma.OnigString(s),
}));

const registry = new vsctm.Registry({
  onigLib,
  loadGrammar: async (scopeName) => {
    const file = { 'source.iptables': 'iptables.tmLanguage.json', 'source.nftables': 'nftables.tmLanguage.json' }[scopeName];
    if (!file) return null;
    const p = path.join(repoRoot, 'syntaxes', file);
    return vsctm.parseRawGrammar(fs.readFileSync(p, 'utf8'), p);
  },
});

/** `text -> innermost scope` for every token of `line` that has a scope beyond the root. */
async function tokens(scope: string, lines: string[]): Promise<string[][]> {
  const grammar = await registry.loadGrammar(scope);
  assert.ok(grammar);
  let state = vsctm.INITIAL;
  const out: string[][] = [];
  for (const line of lines) {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    out.push(r.tokens.filter((t) => t.scopes.length > 1).map((t) => `${line.slice(t.startIndex, t.endIndex)} => ${t.scopes[t.scopes.length - 1]}`));
  }
  return out;
}

test('iptables-restore text: tables, chains, rules, jumps, comments, addresses', async () => {
  const [table, decl, rule, dnat, commit] = await tokens('source.iptables', [
    '*nat',
    ':KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]',
    '-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU',
    '-A KUBE-SEP-AAA -m tcp -p tcp -j DNAT --to-destination 10.244.1.5:8080',
    'COMMIT',
  ]);
  assert.deepEqual(table, ['* => punctuation.definition.table.iptables', 'nat => entity.name.section.table.iptables']);
  assert.deepEqual(decl, [
    ': => punctuation.definition.chain.iptables',
    'KUBE-SVC-TCOU7JCQXEZGVUNU => entity.name.function.chain.iptables',
    '- => constant.language.policy.iptables',
    '[0:0] => constant.numeric.counters.iptables',
  ]);
  assert.ok(rule.includes('-A => keyword.control.command.iptables'));
  assert.ok(rule.includes('KUBE-SERVICES => entity.name.function.chain.iptables'));
  assert.ok(rule.includes('comment => support.type.module.iptables'));
  assert.ok(rule.includes('"kube-system/kube-dns:dns cluster IP" => string.quoted.double.iptables') || rule.some((t) => t.endsWith('string.quoted.double.iptables')));
  assert.ok(rule.includes('10.96.0.10 => constant.numeric.address.iptables'));
  assert.ok(rule.includes('KUBE-SVC-TCOU7JCQXEZGVUNU => entity.name.function.chain.iptables'));
  assert.ok(dnat.includes('DNAT => support.constant.target.iptables'));
  assert.ok(dnat.includes('10.244.1.5:8080 => constant.numeric.address.iptables'));
  assert.deepEqual(commit, ['COMMIT => keyword.control.commit.iptables']);
});

test('nft transaction text: commands, verdicts, set references', async () => {
  const [cmd, rule] = await tokens('source.nftables', [
    'add chain ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80',
    'add rule ip kube-proxy services ip daddr . meta l4proto . th dport vmap @service-ips',
  ]);
  assert.deepEqual(cmd.slice(0, 4), [
    'add => keyword.control.command.nftables',
    'chain => storage.type.object.nftables',
    'ip => support.constant.family.nftables',
    'kube-proxy => entity.name.namespace.table.nftables',
  ]);
  assert.ok(rule.includes('@service-ips => variable.other.set.nftables'));
  assert.ok(rule.includes('vmap => keyword.other.nftables'));
});
