// yaml-type-coercion and the scalar reading behind it. Expectations come from go-yaml v2's
// `resolve` (the reader under sigs.k8s.io/yaml that kubectl and the API server use): the YAML 1.1
// boolean words, `~`/null words, Go integer literals after removing `_` (leading-zero octal, 0x,
// 0o, 0b), floats matching its `yamlStyleFloat`, and timestamps left as strings for untyped decoding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDiagnostics } from '../support/fixture';
import { parseFile } from '../../server/src/engine/syntax/parse';

const cases: { name: string; text: string; expect: unknown }[] = [
  { name: 'on', text: 'on', expect: true },
  { name: 'Off', text: 'Off', expect: false },
  { name: 'yes', text: 'yes', expect: true },
  { name: 'N', text: 'N', expect: false },
  { name: 'mixed-case word stays a string', text: 'tRue', expect: 'tRue' },
  { name: 'tilde', text: '~', expect: null },
  { name: 'leading-zero octal', text: '0755', expect: 493 },
  { name: '08 is not octal: a float', text: '08', expect: 8 },
  { name: '0o octal (Go literal)', text: '0o17', expect: 15 },
  { name: 'upper-case hex prefix', text: '0X1F', expect: 31 },
  { name: 'binary', text: '0b101', expect: 5 },
  { name: 'underscores removed', text: '1_000', expect: 1000 },
  { name: 'exponent without a dot', text: '1e3', expect: 1000 },
  { name: 'trailing dot', text: '1.', expect: 1 },
  { name: 'leading dot', text: '.5', expect: 0.5 },
  { name: 'uint64', text: '18446744073709551615', expect: 18446744073709551615 },
  { name: 'beyond 64 bits: a float', text: '123456789012345678901234567890', expect: 1.2345678901234568e29 },
  { name: 'overflowing float stays a string', text: '1e400', expect: '1e400' },
  { name: 'date stays a string', text: '2024-01-01', expect: '2024-01-01' },
  { name: 'date-time stays a string', text: '2001-12-14t21:59:43.10-05:00', expect: '2001-12-14t21:59:43.10-05:00' },
  { name: 'base 60 is not a number', text: '1:20', expect: '1:20' },
  { name: 'e5 is not a number', text: 'e5', expect: 'e5' },
  { name: 'a lone dot is not a number', text: '.', expect: '.' },
  { name: 'version string', text: '1.2.3', expect: '1.2.3' },
  { name: 'prefix without digits', text: '0x', expect: '0x' },
  { name: 'negative zero is zero', text: '-0', expect: 0 },
  { name: 'inf', text: '.inf', expect: Infinity },
];

for (const c of cases) {
  test(`plain scalar as kubectl reads it: ${c.name} (${c.text})`, () => {
    const file = parseFile('file:///s.yaml', `v: ${c.text}\n`);
    assert.deepEqual(file.problems, []);
    assert.deepEqual((file.documents[0]!.value as { v: unknown }).v, c.expect);
  });
}

test('quoted scalars are always strings', () => {
  const file = parseFile('file:///s.yaml', `a: "on"\nb: '0755'\nc: "~"\n`);
  assert.deepEqual(file.documents[0]!.value, { a: 'on', b: '0755', c: '~' });
});

test('labels, annotations, env values, ConfigMap data and args that are not strings to kubectl', () => {
  const { diagnostics } = checkDiagnostics(
    `
apiVersion: v1
kind: ConfigMap
metadata:
  name: app
  labels: {debug: on, tier: "on", umask: 0755}
  #               ^^ warning yaml-type-coercion: \`on\` is read as the boolean true, but the label value must be a string: the API server rejects the object. Quote it: "on"
  #                                      ^^^^ warning yaml-type-coercion: \`0755\` is read as the octal integer 493, but the label value must be a string
  annotations:
    owner: ~
    #      ^ warning yaml-type-coercion: \`~\` is read as null, so the annotation value becomes the empty string
    empty:
    released: 2024-01-01
    window: 1:20
data:
  count: 1e3
  #      ^^^ warning yaml-type-coercion: \`1e3\` is read as the number 1000, but the ConfigMap data value must be a string
  id: 12345678901234567890
  #   ^^^^^^^^^^^^^^^^^^^^ warning yaml-type-coercion: \`12345678901234567890\` is read as a number that keeps only about 16 significant digits
  mask: 0x1F
  #     ^^^^ warning yaml-type-coercion: \`0x1F\` is read as the hexadecimal integer 31
  text: plain words
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: c
      image: nginx
      args: [--verbose, yes, "no"]
      #                 ^^^ warning yaml-type-coercion: \`yes\` is read as the boolean true, but the args item must be a string
      ports: [{containerPort: 0755}]
      env:
        - {name: RATIO, value: 1e3}
        #                      ^^^ warning yaml-type-coercion: \`1e3\` is read as the number 1000, but the env value must be a string
        - {name: LEVEL, value: "off"}
`,
    { ignore: ['schema'] },
  );
  // The quick fix quotes the text as written.
  const debug = diagnostics.find((d) => d.message.startsWith('`on`'))!;
  assert.deepEqual(
    debug.fixes.map((f) => f.edits.map((e) => e.newText)),
    [['"on"']],
  );
});

test('kinds without a schema: only label and annotation values are checked', () => {
  checkDiagnostics(`
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
  labels: {enabled: off}
  #                 ^^^ warning yaml-type-coercion: \`off\` is read as the boolean false
spec:
  anything: on
`);
});

test('explicit tags and aliases are left alone', () => {
  checkDiagnostics(
    `
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
data:
  tagged: !!str on
  base: &b "x"
  alias: *b
`,
    { ignore: ['schema'] },
  );
});

test('Secret values are never quoted in the message', () => {
  const { diagnostics } = checkDiagnostics(
    `
apiVersion: v1
kind: Secret
metadata: {name: s}
stringData:
  pin: 73512
  #    ^^^^^ warning yaml-type-coercion: This Secret value is read as a number, but the Secret value must be a string
`,
    { ignore: ['schema'] },
  );
  for (const d of diagnostics) assert.ok(!d.message.includes('73512'), d.message);
});
