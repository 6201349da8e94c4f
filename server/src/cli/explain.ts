// `kubeglass explain <file>:<line>:<col> [paths...]`: prints the Markdown the editor's hover shows at
// that position (1-based line and column, as editors show them). The workspace is the given paths,
// else the current directory when the file lies inside it, else the file's folder.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from './commands';
import { hoverAt } from '../engine/ide/hover';

export const explainCommand: Command = {
  name: 'explain',
  usage: 'explain <file>:<line>:<col> [paths...]',
  summary: 'the hover card at a position (what the field means and resolves to)',
  run(ctx) {
    const { positionals } = ctx.parse({});
    const [where, ...paths] = positionals;
    const m = where ? /^(.*):(\d+):(\d+)$/.exec(where) : null;
    if (!m) {
      ctx.err('kubeglass: explain needs <file>:<line>:<col>, e.g. kubeglass explain examples/shop/web.yaml:40:19\n');
      return 2;
    }
    const file = path.resolve(m[1]);
    const cwd = process.cwd();
    const roots = paths.length ? paths : [file.startsWith(cwd + path.sep) ? cwd : path.dirname(file), file];
    const loaded = ctx.loadWorkspace(roots);
    const uri = pathToFileURL(file).href;
    if (!loaded.workspace.hasFile(uri)) {
      ctx.err(`kubeglass: ${m[1]}: no such manifest\n`);
      return 2;
    }
    const offset = loaded.workspace.lineIndex(uri).offset({ line: Number(m[2]) - 1, character: Number(m[3]) - 1 });
    const hover = hoverAt(loaded.workspace, uri, offset);
    if (!hover) {
      ctx.err('kubeglass: nothing to explain at that position\n');
      return 1;
    }
    ctx.out(hover.markdown + '\n');
    return 0;
  },
};
