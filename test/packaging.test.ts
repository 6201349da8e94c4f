// `npm run package` produces a .vsix that holds the bundles and the documentation the extension
// shows, and nothing else: no sources, tests, node_modules, source maps or examples. The file list
// is checked against an allow-list that mirrors .vscodeignore, every file the manifest points to
// must be inside, and the package stays small.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageVsix, readZipEntries, readZipEntry } from './e2e/support/vsix';
import { repoRoot } from './support/paths';

const MAX_VSIX_BYTES = 5 * 1024 * 1024;

/** Every entry must match one of these (paths inside the zip). */
const ALLOWED: readonly RegExp[] = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/,
  /^extension\/readme\.md$/,
  /^extension\/LICENSE\.txt$/,
  /^extension\/dist\/client\/extension\.js$/,
  /^extension\/dist\/server\/server\.js$/,
  /^extension\/dist\/webview\/[^/]+\.(js|css|ttf|woff2?)$/,
  /^extension\/docs\/(checks|walkthrough)\/[^/]+\.md$/,
  /^extension\/docs\/images\/[^/]+\.(png|svg)$/,
  /^extension\/syntaxes\/[^/]+\.json$/,
];

test('the vsix holds the bundles and docs, nothing else, and is small', () => {
  const { vsix, stagingDir, packageMs } = packageVsix();
  const zip = fs.readFileSync(vsix);
  fs.rmSync(stagingDir, { recursive: true, force: true });
  const entries = readZipEntries(zip);
  const names = entries.map((e) => e.name).sort();
  console.log(`packaged ${names.length} files, ${zip.length} bytes, in ${packageMs} ms`);

  const unexpected = names.filter((n) => !ALLOWED.some((r) => r.test(n)));
  assert.deepEqual(unexpected, [], 'files outside the allow-list');
  assert.ok(zip.length < MAX_VSIX_BYTES, `vsix is ${zip.length} bytes (limit ${MAX_VSIX_BYTES})`);

  // Everything the manifest refers to is packaged.
  const manifest = JSON.parse(readZipEntry(zip, entries.find((e) => e.name === 'extension/package.json')!).toString('utf8'));
  const required = new Set<string>(['extension/readme.md', 'extension/LICENSE.txt', 'extension/dist/server/server.js']);
  required.add(`extension/${path.posix.normalize(manifest.main)}${manifest.main.endsWith('.js') ? '' : '.js'}`);
  for (const walkthrough of manifest.contributes?.walkthroughs ?? []) {
    for (const step of walkthrough.steps) {
      for (const media of [step.media?.markdown, step.media?.image, step.media?.svg]) {
        if (typeof media === 'string') required.add(`extension/${path.posix.normalize(media)}`);
      }
    }
  }
  for (const grammar of manifest.contributes?.grammars ?? []) required.add(`extension/${path.posix.normalize(grammar.path)}`);
  // The diagnostics link to docs/checks/<code>.md inside the installed extension.
  const checksDir = path.join(repoRoot, 'docs', 'checks');
  for (const doc of fs.existsSync(checksDir) ? fs.readdirSync(checksDir) : []) {
    if (doc.endsWith('.md')) required.add(`extension/docs/checks/${doc}`);
  }
  const missing = [...required].filter((r) => !names.includes(r)).sort();
  assert.deepEqual(missing, [], 'files the manifest or the server needs but the vsix lacks');

  // The bundles are the production build: minified, without a source map reference.
  for (const bundle of ['extension/dist/client/extension.js', 'extension/dist/server/server.js']) {
    const text = readZipEntry(zip, entries.find((e) => e.name === bundle)!).toString('utf8');
    assert.ok(!text.includes('sourceMappingURL'), `${bundle} references a source map`);
    const lines = text.split('\n').length;
    assert.ok(lines < text.length / 200, `${bundle} does not look minified (${lines} lines for ${text.length} bytes)`);
  }
});

test('the zip reader reads what `zip` writes', () => {
  // The reader is what the test above trusts for the file list; check it on a known archive.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeglass-zip-'));
  try {
    fs.writeFileSync(path.join(dir, 'a.txt'), 'alpha\n');
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'b.txt'), 'beta '.repeat(1000));
    const made = spawnSync('zip', ['-q', '-r', 'x.zip', 'a.txt', 'sub'], { cwd: dir });
    if (made.error) {
      // Without the zip tool, a stored archive written by hand stands in.
      fs.writeFileSync(path.join(dir, 'x.zip'), storedZip([['a.txt', 'alpha\n'], ['sub/b.txt', 'beta '.repeat(1000)]]));
    }
    const zip = fs.readFileSync(path.join(dir, 'x.zip'));
    const files = readZipEntries(zip).filter((e) => !e.name.endsWith('/'));
    assert.deepEqual(files.map((e) => e.name).sort(), ['a.txt', 'sub/b.txt']);
    assert.equal(readZipEntry(zip, files.find((e) => e.name === 'sub/b.txt')!).toString(), 'beta '.repeat(1000));
    assert.equal(readZipEntry(zip, files.find((e) => e.name === 'a.txt')!).toString(), 'alpha\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A minimal zip of stored (uncompressed) entries, CRC left zero: enough for a reader that ignores it. */
function storedZip(files: [string, string][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of files) {
    const data = Buffer.from(text);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
