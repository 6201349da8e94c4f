// Invalid YAML of every kind: each gets one precise yaml-syntax diagnostic (range asserted), and the
// other documents of the file and the other files of the workspace are still analysed. "Still
// analysed" is observed through a yaml-type-coercion warning (`debug: on`) in a sibling document and
// in a second file; that check fires on any well-formed object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../server/src/engine/workspace';

const SIBLING = '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: sibling, labels: {debug: on}}\n';
const OTHER_FILE = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other, labels: {debug: on}}\n';

/** Diagnostics of the broken file as `line:char-line:char severity code` (0-based), other codes left out. */
function analyse(broken: string, codes: readonly string[] = ['yaml-syntax', 'yaml-warning', 'yaml-limit']) {
  const ws = new Workspace();
  ws.apply([
    { uri: 'file:///broken.yaml', text: broken },
    { uri: 'file:///other.yaml', text: OTHER_FILE },
  ]);
  const show = (uri: string, keep: (code: string) => boolean) =>
    ws.diagnostics(uri).filter((d) => keep(d.code)).map((d) => {
      const li = ws.lineIndex(uri);
      const s = li.position(d.start);
      const e = li.position(d.end);
      return `${s.line}:${s.character}-${e.line}:${e.character} ${d.severity} ${d.code}`;
    });
  return {
    ws,
    syntax: show('file:///broken.yaml', (c) => codes.includes(c)),
    coercions: show('file:///broken.yaml', (c) => c === 'yaml-type-coercion'),
    otherFile: show('file:///other.yaml', (c) => c === 'yaml-type-coercion'),
    messages: ws.diagnostics('file:///broken.yaml').filter((d) => codes.includes(d.code)).map((d) => d.message),
  };
}

const cases: { name: string; text: string; syntax: string[]; message: RegExp; siblingLine: number }[] = [
  {
    name: 'tab as indentation',
    text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n\tkey: v\n' + SIBLING,
    syntax: ['5:0-5:1 error yaml-syntax'],
    message: /Tabs are not allowed as indentation/,
    siblingLine: 9,
  },
  {
    name: 'a key indented less than its siblings',
    text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n    name: a\n  labels: {}\n' + SIBLING,
    syntax: ['4:2-4:8 error yaml-syntax'],
    message: /All mapping items must start at the same column/,
    siblingLine: 8,
  },
  {
    name: 'unclosed double quote (does not swallow the next document)',
    text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  key: "unclosed\n' + SIBLING,
    syntax: ['5:7-5:16 error yaml-syntax'],
    message: /Missing closing "quote/,
    siblingLine: 9,
  },
  {
    name: 'unclosed single quote',
    text: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  key: 'unclosed\n" + SIBLING,
    syntax: ['5:7-5:16 error yaml-syntax'],
    message: /Missing closing 'quote/,
    siblingLine: 9,
  },
  {
    name: 'unclosed flow sequence',
    text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers: [{name: c, image: x}\n' + SIBLING,
    syntax: ['5:14-5:34 error yaml-syntax'],
    message: /Flow sequence .* end with a \]/,
    siblingLine: 9,
  },
  {
    name: 'unclosed flow mapping',
    text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\ndata: {}\n' + SIBLING,
    syntax: ['2:10-2:18 error yaml-syntax'],
    message: /Flow map .* end with a \}/,
    siblingLine: 7,
  },
  {
    name: 'duplicate key (the API server rejects duplicate fields)',
    text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n' + SIBLING,
    syntax: ['4:2-4:6 error yaml-syntax'],
    message: /Map keys must be unique: "name"/,
    siblingLine: 8,
  },
  {
    name: 'stray text after a document end marker',
    text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n...\nleftover text\n' + SIBLING,
    syntax: ['4:0-4:13 error yaml-syntax'],
    message: /Stray document: a plain value/,
    siblingLine: 8,
  },
  {
    name: 'stray sequence document',
    text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n- a\n- b\n' + SIBLING,
    syntax: ['4:0-6:0 error yaml-syntax'],
    message: /Stray document: a sequence/,
    siblingLine: 9,
  },
  {
    name: 'block mapping inside a flow mapping',
    text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels:\n  x: y}\n' + SIBLING,
    syntax: ['3:2-3:6 error yaml-syntax'],
    message: /Block collections are not allowed within flow collections/,
    siblingLine: 7,
  },
  {
    name: 'alias without an anchor',
    text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: *nowhere\n' + SIBLING,
    syntax: ['3:8-3:16 error yaml-syntax'],
    message: /Unknown alias: no anchor &nowhere/,
    siblingLine: 7,
  },
  {
    name: 'unsubstituted {{VAR}} placeholder used as a key',
    text: 'apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData:\n  token: {{TOKEN}}\n' + SIBLING,
    syntax: ['4:10-4:17 error yaml-syntax'],
    message: /cannot be a mapping key/,
    siblingLine: 8,
  },
  {
    name: 'unknown directive (a warning)',
    text: '%FOO bar\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' + SIBLING,
    syntax: ['0:0-0:8 warning yaml-warning'],
    message: /Unknown directive %FOO/,
    siblingLine: 8,
  },
];

for (const c of cases) {
  test(`invalid YAML: ${c.name}`, () => {
    const r = analyse(c.text);
    assert.deepEqual(r.syntax, c.syntax);
    assert.match(r.messages[0]!, c.message);
    // The sibling document and the other file are still analysed.
    assert.deepEqual(r.coercions.map((d) => Number(d.split(':')[0])), [c.siblingLine]);
    assert.deepEqual(r.otherFile, ['2:40-2:42 warning yaml-type-coercion']);
  });
}

test('a broken document is not checked, but other objects can still refer to it', () => {
  const r = analyse('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  labels: {debug: on\n' + SIBLING);
  assert.equal(r.syntax.length, 1);
  assert.ok(r.ws.objects().some((o) => o.name === 'cfg' && o.hasSyntaxErrors), 'the broken ConfigMap is still indexed');
  assert.deepEqual(r.coercions.map((d) => Number(d.split(':')[0])), [8], 'no findings inside the broken document');
});

test('CRLF line endings and a byte order mark: same findings, ranges on the same lines', () => {
  const lf = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: {debug: on}\ndata:\n  key: "x\n    y"\n';
  const crlf = '\uFEFF' + lf.replace(/\n/g, '\r\n');
  const a = analyse(lf);
  const b = analyse(crlf);
  assert.deepEqual(a.syntax, []);
  assert.deepEqual(b.syntax, []);
  assert.deepEqual(a.coercions, ['4:18-4:20 warning yaml-type-coercion']);
  assert.deepEqual(b.coercions, ['4:18-4:20 warning yaml-type-coercion']);
  const values = (ws: Workspace) => ws.objects().filter((o) => o.uri === 'file:///broken.yaml').map((o) => o.raw);
  assert.deepEqual(values(b.ws), values(a.ws), 'the BOM and CR characters do not leak into values');
});

test('invalid UTF-8 (decoded as U+FFFD by the adapters) is a warning at the first bad character', () => {
  const bytes = Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  k: caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
  const r = analyse(bytes.toString('utf8'));
  assert.deepEqual(r.syntax, ['4:8-4:9 warning yaml-warning']);
  assert.match(r.messages[0]!, /not valid UTF-8/);
});

test('a multi-line quoted value with under-indented lines is read as kubectl reads it, ranges as written', () => {
  // YAML requires the continuation lines of a quoted scalar to be indented more than its key;
  // libyaml-based readers (kubectl's, PyYAML) do not check it, and manifests rely on that.
  const text = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: init',
    '  annotations:',
    "    containers: '[",
    '  {"name": "wait", "image": "busybox"}',
    "]'",
    '  labels: {debug: on}',
    '',
  ].join('\n');
  const r = analyse(text);
  assert.deepEqual(r.syntax, []);
  const cm = r.ws.objects().find((o) => o.name === 'init')!;
  assert.equal(cm.annotations.containers, '[ {"name": "wait", "image": "busybox"} ]');
  // Ranges are those of the text as written: the coercion warning sits on `on` in line 8.
  assert.deepEqual(r.coercions, ['8:18-8:20 warning yaml-type-coercion']);
});
