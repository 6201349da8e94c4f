// Builds kubeglass.vsix the way a release does (`npm run package`: production bundles, then vsce),
// in a staging copy of the repository, and reads the entries of the resulting zip.
//
// The copy matters: `npm run package` rewrites dist/ with minified bundles, and other test files
// running at the same time spawn the server and CLI from the repository's dist/. The staging tree
// shares node_modules through a symlink and keeps file times, so the schema generator that the
// build runs first sees its output as fresh and does not regenerate it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { repoRoot } from '../../support/paths';

export interface PackagedVsix {
  readonly vsix: string;
  /** The staging copy the package was built in; its dist/ holds the production bundles. */
  readonly stagingDir: string;
  readonly packageMs: number;
}

/** Folders never copied into the staging tree: dependencies (linked instead), outputs, history. */
const SKIPPED = new Set(['node_modules', '.git', 'dist', 'out', 'test-results', '.bench']);

export function packageVsix(): PackagedVsix {
  const stagingDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeglass-package-'));
  fs.cpSync(repoRoot, stagingDir, {
    recursive: true,
    preserveTimestamps: true,
    filter: (src) => {
      const rel = path.relative(repoRoot, src);
      if (rel === '') return true;
      const top = rel.split(path.sep)[0]!;
      return !SKIPPED.has(top) && !rel.endsWith('.vsix') && !rel.endsWith('.tsbuildinfo');
    },
  });
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(stagingDir, 'node_modules'), 'dir');
  const started = Date.now();
  const result = spawnSync('npm', ['run', 'package', '--silent'], { cwd: stagingDir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const packageMs = Date.now() - started;
  const vsix = path.join(stagingDir, 'kubeglass.vsix');
  if (result.status !== 0 || !fs.existsSync(vsix)) {
    throw new Error(`npm run package failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return { vsix, stagingDir, packageMs };
}

export interface ZipEntry {
  readonly name: string;
  readonly compressedSize: number;
  readonly size: number;
  readonly method: number;
  readonly localHeaderOffset: number;
}

/**
 * The entries of a zip file, read from its central directory. Handles what vsce writes (stored and
 * deflated entries, no zip64, archive comment possibly present); anything else is an error.
 */
export function readZipEntries(zip: Buffer): ZipEntry[] {
  const eocd = findEndOfCentralDirectory(zip);
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`bad central directory entry ${i} at ${offset}`);
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeaderOffset = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.push({ name, compressedSize, size, method, localHeaderOffset });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The uncompressed bytes of one entry. */
export function readZipEntry(zip: Buffer, entry: ZipEntry): Buffer {
  const at = entry.localHeaderOffset;
  if (zip.readUInt32LE(at) !== 0x04034b50) throw new Error(`bad local header for ${entry.name}`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method === 8) return inflateRawSync(data);
  throw new Error(`unsupported compression method ${entry.method} for ${entry.name}`);
}

function findEndOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end of the file.
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === 0x06054b50) return at;
  }
  throw new Error('not a zip file: no end of central directory record');
}
