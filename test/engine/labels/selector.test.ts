// Label selector tests: every vector of shared/testdata/selectors.json (upstream selector_test.go,
// helpers_test.go, labels.md; a few `derived`), table-driven by id, plus round-trip and
// order-independence properties and a few hand-derived cases citing spec section a.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { testdataDir } from '../../support/paths';
import {
  EVERYTHING,
  NOTHING,
  exactMatchRequirements,
  labelSelectorAsMap,
  lexSelector,
  matches,
  newRequirement,
  parseOperatorText,
  parseSelector,
  selectorFromLabelSelector,
  selectorFromMap,
  selectorFromRequirements,
  selectorKeys,
  selectorToString,
  serviceSelector,
  validateLabelSelector,
  type Operator,
  type Requirement,
  type Selector,
} from '../../../server/src/engine/labels/selector';

interface VectorFile {
  cases: Record<string, Array<Record<string, unknown> & { id: string }>>;
}
const vectors = JSON.parse(fs.readFileSync(path.join(testdataDir, 'selectors.json'), 'utf8')) as VectorFile;
const CATEGORIES = [
  'parse',
  'lex',
  'parseOperator',
  'match',
  'requirementMatch',
  'requirementConstructor',
  'toString',
  'labelSelector',
  'labelSelectorAsMap',
  'labelSelectorValidation',
];

type Raw = { key: string; operator: string; values: string[] };

function requirementsOf(s: Selector): Raw[] {
  if (s.kind !== 'requirements') return [];
  return s.requirements.map((r) => ({ key: r.key, operator: r.operator, values: [...r.values] }));
}

function build(raw: readonly Raw[]): Selector {
  const reqs: Requirement[] = raw.map((r) => {
    const made = newRequirement(r.key, r.operator as Operator, r.values);
    assert.ok(made.ok, `vector requirement ${JSON.stringify(r)} must be valid`);
    return made.requirement;
  });
  return selectorFromRequirements(reqs);
}

function mustParse(text: string): Selector {
  const r = parseSelector(text);
  assert.ok(r.ok, `parse ${JSON.stringify(text)}: ${r.ok ? '' : r.error}`);
  return r.selector;
}

const checkers: Record<string, (c: Record<string, unknown>) => void> = {
  parse(c) {
    const r = parseSelector(c.input as string);
    assert.equal(r.ok, c.valid, r.ok ? 'parsed but should fail' : r.error);
    if (!r.ok) return;
    if (typeof c.string === 'string') assert.equal(selectorToString(r.selector), c.string);
    if (Array.isArray(c.requirements)) {
      const want = (c.requirements as Raw[]).map((q) => ({ ...q, values: [...q.values].sort() }));
      assert.deepEqual(requirementsOf(r.selector), want);
    }
  },
  lex(c) {
    const kinds = lexSelector(c.input as string).map((t) => t.kind);
    const want = c.tokens as string[];
    if (want.length === 1 && want[0] === 'EndOfString') {
      assert.deepEqual(kinds, ['EndOfString']);
    } else if (String(c.note).startsWith('first token only')) {
      assert.equal(kinds[0], want[0]);
      assert.equal(lexSelector(c.input as string)[0]!.text, c.input);
    } else {
      assert.deepEqual(kinds.slice(0, -1), want);
      assert.equal(kinds.at(-1), 'EndOfString');
    }
  },
  parseOperator(c) {
    const r = parseOperatorText(c.token as string);
    if (c.error === null) assert.ok(r.ok, r.ok ? '' : r.error);
    else assert.deepEqual(r, { ok: false, error: c.error });
  },
  match(c) {
    const selector = c.selectorSet !== undefined
      ? selectorFromMap(c.selectorSet as Record<string, string>)
      : mustParse(c.selector as string);
    assert.equal(matches(selector, c.labels as Record<string, string>), c.matches);
  },
  requirementMatch(c) {
    assert.equal(matches(build(c.requirements as Raw[]), c.labels as Record<string, string>), c.matches);
  },
  requirementConstructor(c) {
    const r = newRequirement(c.key as string, c.operator as Operator, c.values as string[]);
    const got = r.ok ? [] : r.fieldErrors.map((e) => ({ field: e.field, type: `FieldValue${e.type}` }));
    assert.deepEqual(got, c.errors);
  },
  toString(c: Record<string, unknown>) {
    assert.equal(selectorToString(build(c.requirements as Raw[])), c.string);
  },
  labelSelector(c) {
    const { selector, errors } = selectorFromLabelSelector(c.selector as never);
    assert.deepEqual(errors, []);
    if (c.kind === 'Nothing') assert.equal(selector, NOTHING);
    if (c.kind === 'Everything') assert.equal(selector, EVERYTHING);
    if (typeof c.string === 'string') assert.equal(selectorToString(selector), c.string);
    if (c.labels !== undefined) assert.equal(matches(selector, c.labels as Record<string, string>), c.matches);
  },
  labelSelectorAsMap(c) {
    const r = labelSelectorAsMap(c.selector as never);
    assert.deepEqual(r.map, c.map);
    if (c.errorContains === null) assert.equal(r.error, null);
    else assert.ok(r.error?.includes(c.errorContains as string), `error ${r.error}`);
  },
  labelSelectorValidation(c) {
    const got = validateLabelSelector(c.selector, 'spec.selector').map((e) => e.message);
    assert.deepEqual(got, c.errors);
  },
};

for (const category of CATEGORIES) {
  const cases = vectors.cases[category] ?? [];
  test(`selectors.json has ${category} vectors`, () => assert.ok(cases.length > 0));
  for (const c of cases) {
    test(`${c.id} ${JSON.stringify(c.input ?? c.selector ?? c.token ?? c.key ?? '')}`, () => checkers[category]!(c));
  }
}

test('every vector category is covered', () => {
  assert.deepEqual(Object.keys(vectors.cases).sort(), [...CATEGORIES].sort());
});

// Property: parse -> toString -> parse is the identity on selectors, for every valid parse vector
// plus the spec a.4 examples.
const roundTripInputs = [
  ...vectors.cases.parse!.filter((c) => c.valid).map((c) => c.input as string),
  'x notin (abc,,def),bar,z in (),w',
  'notin=in',
  'a in (x,y,notin, z,in)',
  'x==a,y!=b,!z,q>3,r<07',
  'example.com/app in (a.b, c_d, e-f)',
];
for (const input of roundTripInputs) {
  test(`round trip ${JSON.stringify(input)}`, () => {
    const first = mustParse(input);
    const text = selectorToString(first);
    const second = mustParse(text);
    assert.deepEqual(second, first);
    assert.equal(selectorToString(second), text);
  });
}

// Property: the order of requirements with distinct keys does not change the selector (spec a.4:
// requirements are sorted by key after parsing).
test('order independence over permutations', () => {
  const parts = ['x=a', 'a!=x', 'm in (b,a)', '!z', 'k', 'n>3'];
  const expected = selectorToString(mustParse(parts.join(',')));
  assert.equal(expected, 'a!=x,k,m in (a,b),n>3,x=a,!z');
  for (let i = 0; i < 30; i++) {
    const shuffled = [...parts].sort((p, q) => ((p.charCodeAt(0) * 31 + i * 17) % 13) - ((q.charCodeAt(0) * 31 + i * 7) % 11));
    assert.equal(selectorToString(mustParse(shuffled.join(','))), expected, shuffled.join(','));
  }
  const a = selectorFromLabelSelector({ matchLabels: { b: '1', a: '2' }, matchExpressions: [{ key: 'c', operator: 'Exists' }] });
  const b = selectorFromLabelSelector({ matchExpressions: [{ key: 'c', operator: 'Exists' }], matchLabels: { a: '2', b: '1' } });
  assert.deepEqual(a, b);
});

// Hand-derived cases, each citing its spec statement.
const errorCases: Array<[string, string]> = [
  // a.4 error texts
  ['!x=a', "found '=', expected: ',' or 'end of string'"],
  ['x,,y', "found ',', expected: identifier after ','"],
  ['a in (xyz),', "found '', expected: identifier after ','"],
  ['(', "found '(', expected: !, identifier, or 'end of string'"],
  ['a (', "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
  ['a in a', "unable to parse requirement: found 'a' expected: '('"],
  ['a in (', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
  ['a in (xyz abc)', "unable to parse requirement: found 'abc', expected: ',' or ')'"],
  ['a in (a,=)', "unable to parse requirement: found '=', expected: ',', or identifier"],
  ['a=!', "unable to parse requirement: found '!', expected: identifier"],
  ['x<a', "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"],
];
for (const [input, error] of errorCases) {
  test(`parse error ${JSON.stringify(input)}`, () => assert.deepEqual(parseSelector(input), { ok: false, error }));
}

test('invalid key and value texts (spec 0.3 messages)', () => {
  const key = parseSelector('/a=b');
  assert.ok(!key.ok && key.error === 'unable to parse requirement: <nil>: Invalid value: "/a": prefix part must be non-empty');
  const value = parseSelector('a=@');
  assert.ok(!value.ok && value.error.startsWith('unable to parse requirement: values[0][a]: Invalid value: "@": a valid label must be an empty string'));
});

test('empty and nil selectors are distinct (spec a.2, a.5)', () => {
  assert.equal(selectorFromLabelSelector(null).selector, NOTHING);
  assert.equal(selectorFromLabelSelector(undefined).selector, NOTHING);
  assert.equal(selectorFromLabelSelector({}).selector, EVERYTHING);
  assert.equal(selectorFromLabelSelector({ matchLabels: {}, matchExpressions: [] }).selector, EVERYTHING);
  assert.equal(parseSelector('').ok && (parseSelector('') as { selector: Selector }).selector, EVERYTHING);
  assert.equal(selectorFromMap({}), EVERYTHING);
  assert.equal(serviceSelector({}), NOTHING);
  assert.equal(serviceSelector(undefined), NOTHING);
  assert.equal(matches(serviceSelector({ app: 'web' }), { app: 'web' }), true);
});

test('labelSelector errors select nothing and carry upstream text (spec a.2)', () => {
  const r = selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] });
  assert.deepEqual(r, { selector: NOTHING, errors: ['"Gt" is not a valid label selector operator'] });
  const empty = selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] });
  assert.deepEqual(empty.errors, ["values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty"]);
});

test('validation messages for keys, values and operators (spec a.3)', () => {
  const got = validateLabelSelector(
    { matchLabels: { 'bad key': 'ok' }, matchExpressions: [{ key: 'k', operator: 'Foo', values: ['-x'] }] },
    'spec.selector',
  ).map((e) => e.message);
  assert.equal(got.length, 3);
  assert.ok(got[0]!.startsWith('spec.selector.matchLabels: Invalid value: "bad key": name part must consist of alphanumeric characters'));
  assert.equal(got[1], 'spec.selector.matchExpressions[0].operator: Invalid value: "Foo": not a valid selector operator');
  assert.ok(got[2]!.startsWith('spec.selector.matchExpressions[0].values[0]: Invalid value: "-x": a valid label must be'));
});

test('exactMatchRequirements and selectorKeys (index hooks)', () => {
  const s = mustParse('b in (y,x),a=1,c!=2,d,e==3');
  assert.deepEqual(exactMatchRequirements(s), [
    { key: 'a', values: ['1'] },
    { key: 'b', values: ['x', 'y'] },
    { key: 'e', values: ['3'] },
  ]);
  assert.deepEqual(selectorKeys(s), ['a', 'b', 'c', 'd', 'e']);
  assert.deepEqual(exactMatchRequirements(EVERYTHING), []);
  assert.deepEqual(selectorKeys(NOTHING), []);
});

test('gt/lt need int64 on both sides (spec a.1)', () => {
  assert.equal(matches(mustParse('x>9223372036854775806'), { x: '9223372036854775807' }), true);
  assert.equal(matches(mustParse('x<0'), { x: '9223372036854775808' }), false);
  assert.equal(matches(mustParse('x>0'), { x: '+1' }), true); // label side: any int64 text
  assert.equal(matches(mustParse('x>0'), { x: '-1' }), false);
  assert.equal(parseSelector('x>-1').ok, false); // operand is also a label value (a.4)
  assert.equal(parseSelector('x>9223372036854775808').ok, false);
});
