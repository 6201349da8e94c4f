// Locations the tests read from: the repository and the read-only shared material beside it.
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const sharedDir = path.resolve(repoRoot, '..', 'shared');
export const testdataDir = path.join(sharedDir, 'testdata');
export const corpusDir = path.join(sharedDir, 'corpus');
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');
