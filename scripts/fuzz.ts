// `npm run fuzz [-- --seed N --runs N --max-file-size BYTES]`: a long property-based fuzzing run of
// the engine over mutated corpus manifests (test/robustness/fuzz-harness.ts states the properties).
// Without --seed a fresh seed is drawn and printed, so any failure can be replayed with it.
import * as path from 'node:path';
import { runFuzz } from '../test/robustness/fuzz-harness';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(value) || value < 0) {
    console.error(`fuzz: --${name} needs a whole number`);
    process.exit(2);
  }
  return value;
}

const seed = option('seed', Math.floor(Math.random() * 2 ** 31));
const runs = option('runs', 5000);
const maxFileSize = option('max-file-size', 256 * 1024);
const corpusDir = path.resolve(__dirname, '..', '..', 'shared', 'corpus');

console.log(`fuzz: ${runs} cases, seed ${seed}, corpus files up to ${maxFileSize} characters`);
const started = Date.now();
const report = runFuzz({ seed, runs, maxFileSize, timeBoundMs: 30_000, corpusDir });
console.log(`fuzz: ${report.cases} cases, seed ${report.seed}, ${Math.round((Date.now() - started) / 1000)} s: ${report.failed ? 'FAILED' : 'ok'}`);
if (report.failed) {
  console.error(report.message);
  process.exit(1);
}
