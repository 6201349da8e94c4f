// Bundles the three parts of Kubeglass with esbuild:
//   client  (node, cjs, `vscode` external)        -> dist/client/extension.js
//   server  (node, cjs, must not import `vscode`) -> dist/server/{server,cli}.js
//   webview (browser, iife)                       -> dist/webview/main.js (+ css)
// Types are checked separately by `tsc -b`: esbuild strips them without checking.
// Flags: --production (minify, no sourcemaps), --watch.
import * as esbuild from 'esbuild';
import { existsSync, readFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
  metafile: true,
};

const contexts = [
  {
    ...common,
    entryPoints: { extension: 'client/src/extension.ts' },
    outdir: 'dist/client',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: { server: 'server/src/lsp/main.ts', cli: 'server/src/cli/main.ts' },
    outdir: 'dist/server',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
  },
];
if (existsSync(join(root, 'webview/src/main.ts'))) {
  contexts.push({
    ...common,
    entryPoints: { main: 'webview/src/main.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
  });
}

/** The architecture's bundle invariants: the server never pulls in `vscode`, the client never pulls in the engine. */
function checkInvariants(name, metafile) {
  const inputs = Object.keys(metafile.inputs);
  if (name === 'server' && Object.values(metafile.inputs).some((i) => i.imports.some((imp) => imp.path === 'vscode'))) {
    throw new Error('server bundle imports `vscode`');
  }
  if (name === 'client' && inputs.some((p) => p.includes('server/src/engine/'))) {
    throw new Error('client bundle contains engine code: ' + inputs.filter((p) => p.includes('server/src/engine/')).join(', '));
  }
}

async function main() {
  await (await import('./gen-field-docs.mjs')).ensureFieldDocs(); // Kubernetes field docs + schema JSON the server bundles
  for (const options of contexts) {
    const name = options.outdir.split('/')[1];
    if (watch) {
      const ctx = await esbuild.context(options);
      await ctx.watch();
      continue;
    }
    const result = await esbuild.build(options);
    checkInvariants(name, result.metafile);
  }
  // The layout engine runs in a worker next to the webview bundle (a file of the package, never fetched).
  const elkWorker = join(root, 'node_modules/elkjs/lib/elk-worker.min.js');
  if (existsSync(elkWorker) && existsSync(join(root, 'dist/webview'))) copyFileSync(elkWorker, join(root, 'dist/webview', 'elk-worker.js'));
  // Codicons for the webview come from the package, never from the network.
  const codicons = join(root, 'node_modules/@vscode/codicons/dist');
  if (existsSync(codicons)) {
    mkdirSync(join(root, 'dist/webview'), { recursive: true });
    for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(join(codicons, f), join(root, 'dist/webview', f));
  }
  if (!watch) console.log(`built ${contexts.map((c) => c.outdir).join(', ')}${production ? ' (production)' : ''}`);
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
