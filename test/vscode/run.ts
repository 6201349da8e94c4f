// `npm run test:vscode`: runs the extension-host suite (test/vscode/suite/) in VS Code desktop
// through @vscode/test-electron, which downloads VS Code 1.100.3 into .vscode-test/. For machines
// that can reach the VS Code download site; CI cannot and runs the same suite in code-server
// instead (test/e2e/code-server.test.ts, see docs/testing.md). Needs a display (or xvfb-run).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from '../support/paths';
import { bundleSuite } from './bundle-suite';
import type { SuiteResults } from './suite/index';

async function main(): Promise<number> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeglass-vscode-'));
  const workspace = path.join(work, 'examples');
  fs.cpSync(path.join(repoRoot, 'examples'), workspace, { recursive: true });
  const results = path.join(work, 'results.json');
  const suite = bundleSuite(path.join(work, 'suite'));
  try {
    await runTests({
      version: process.env.KUBEGLASS_VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: suite,
      extensionTestsEnv: { KUBEGLASS_TEST_RESULTS: results },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(work, 'user-data'), '--extensions-dir', path.join(work, 'extensions')],
    });
  } catch (err) {
    console.error(`VS Code exited with a failure: ${(err as Error).message ?? err}`);
  }
  if (!fs.existsSync(results)) {
    console.error('the extension-host suite wrote no results: it did not run');
    return 1;
  }
  const r = JSON.parse(fs.readFileSync(results, 'utf8')) as SuiteResults;
  for (const name of r.passed) console.log(`ok - ${name}`);
  for (const f of r.failed) console.log(`not ok - ${f.name}\n${f.error.replace(/^/gm, '  ')}`);
  console.log(`${r.passed.length} passed, ${r.failed.length} failed`);
  return r.failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
