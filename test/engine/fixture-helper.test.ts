// The fixture helper itself: annotations must match exactly, and a missing or extra diagnostic fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDiagnostics, parseFixture } from '../support/fixture';

test('files, cursor and annotations are parsed', () => {
  const f = parseFixture(`
#- /a.yaml
kind: A
#- /b/c.yaml
name: x$0y
`);
  assert.deepEqual(f.files.map((x) => x.uri), ['file:///a.yaml', 'file:///b/c.yaml']);
  assert.equal(f.cursor?.uri, 'file:///b/c.yaml');
  assert.equal(f.files[1].text.slice(f.cursor!.offset), 'y\n');
});

test('annotated syntax errors match; a missing annotation fails', () => {
  const broken = `
#- /x.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: [oops
  #     ^^^^^ error yaml-syntax: Flow sequence
`;
  checkDiagnostics(broken);
  assert.throws(() => checkDiagnostics(broken.replace(/ {2}#.*\n$/, '')), /unexpected \(reported, not annotated\)/);
  assert.throws(() => checkDiagnostics(broken.replace('^^^^^', '^^^^')), /missing/);
});
