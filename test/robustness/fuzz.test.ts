// The engine under property-based fuzzing (see fuzz-harness.ts for the mutations and properties):
// a short run with a fixed seed, so a failure here reproduces exactly. `npm run fuzz` runs long.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzz } from './fuzz-harness';
import { corpusDir } from '../support/paths';

const SEED = 42;
const RUNS = 400;

test(`fuzz: ${RUNS} mutated corpus manifests through setFile sequences, seed ${SEED}`, () => {
  const report = runFuzz({ seed: SEED, runs: RUNS, maxFileSize: 32 * 1024, timeBoundMs: 30_000, corpusDir });
  console.log(`fuzz: ${report.cases} cases, seed ${report.seed}`);
  assert.ok(!report.failed, report.message);
  assert.equal(report.cases, RUNS);
});
