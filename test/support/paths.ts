// Locations the tests read from: the repository and the read-only shared material beside it.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const sharedDir = path.resolve(repoRoot, '..', 'shared');
export const testdataDir = path.join(sharedDir, 'testdata');
export const corpusDir = path.join(sharedDir, 'corpus');
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');

/** Every `.yaml`/`.yml` file of the shared corpus, in a stable order (names sorted per folder). */
export function corpusYamlFiles(dir = corpusDir, out: string[] = []): string[] {
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) corpusYamlFiles(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}
