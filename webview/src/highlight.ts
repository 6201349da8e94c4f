// Syntax highlighting of kube-proxy rule text (iptables-restore, nft, ipvsadm/ipset): each line
// is split into tokens that become <span class="tok-..."> elements with the text as
// `textContent`. Classes: comment, table, chain, target, flag, keyword, address, number, string.
import { h } from './dom';

type Token = { text: string; cls: string };

const NFT_KEYWORDS = new Set([
  'add', 'table', 'chain', 'rule', 'set', 'map', 'element', 'ip', 'ip6', 'inet', 'jump', 'goto', 'return', 'accept', 'drop',
  'reject', 'dnat', 'snat', 'to', 'masquerade', 'fully-random', 'vmap', 'numgen', 'random', 'mod', 'meta', 'ct', 'state', 'daddr',
  'saddr', 'dport', 'sport', 'l4proto', 'th', 'fib', 'type', 'local', 'mark', 'counter', 'comment', 'hook', 'priority', 'policy',
  'flags', 'interval', 'timeout', 'update', 'iifname', 'oifname', 'tcp', 'udp', 'sctp', 'new', 'established', 'invalid', 'filter', 'nat',
]);
const TARGETS = new Set(['ACCEPT', 'DROP', 'REJECT', 'DNAT', 'SNAT', 'MASQUERADE', 'RETURN', 'MARK', 'KUBE-MARK-MASQ', 'KUBE-MARK-DROP']);

export function tokenizeRuleLine(line: string): Token[] {
  if (/^\s*#/.test(line)) return [{ text: line, cls: 'comment' }];
  if (/^\*\w+/.test(line) || line === 'COMMIT') return [{ text: line, cls: 'table' }];
  const out: Token[] = [];
  const re = /"[^"]*"|\s+|[^\s"]+/g;
  let prev = '';
  for (const m of line.matchAll(re)) {
    const text = m[0];
    let cls = '';
    if (/^\s+$/.test(text)) cls = '';
    else if (text.startsWith('"')) cls = prev === '--comment' || prev === 'comment' ? 'comment' : 'string';
    else if (prev === '--comment' || prev === 'comment') cls = 'comment';
    else if (/^:?KUBE-[A-Z0-9-]+$/.test(text) || /^(service|endpoint|external|firewall|local)-[A-Z0-9]{8}-/.test(text)) cls = TARGETS.has(text) ? 'target' : 'chain';
    else if (prev === '-j' || prev === '-g' || TARGETS.has(text)) cls = 'target';
    else if (/^--?[a-z][\w-]*$/i.test(text) && text.startsWith('-')) cls = 'flag';
    else if (/^!$/.test(text)) cls = 'flag';
    else if (/^\[?[0-9a-f:.]+\]?(\/\d+)?(:\d+)?,?$/i.test(text) && /[.:]/.test(text)) cls = 'address';
    else if (/^\d+(\.\d+)?$/.test(text) || /^0x[0-9a-f]+$/i.test(text)) cls = 'number';
    else if (NFT_KEYWORDS.has(text)) cls = 'keyword';
    out.push({ text, cls });
    if (cls !== '') prev = text;
  }
  return out;
}

/** The highlighted rule text as a fragment of line elements (capped to keep the page responsive). */
export function highlightRules(text: string, maxLines = 5000): DocumentFragment {
  const frag = document.createDocumentFragment();
  const lines = text.replace(/\n$/, '').split('\n');
  for (const line of lines.slice(0, maxLines)) frag.appendChild(highlightLine(line));
  if (lines.length > maxLines) frag.appendChild(h('div', { class: 'rule-line tok-comment' }, `# … ${lines.length - maxLines} more lines`));
  return frag;
}

export function highlightLine(line: string): HTMLElement {
  const div = h('div', { class: 'rule-line' });
  for (const t of tokenizeRuleLine(line)) {
    div.appendChild(t.cls ? h('span', { class: `tok-${t.cls}` }, t.text) : document.createTextNode(t.text));
  }
  return div;
}
