// The `kubeglass` command line: the same engine as the editor, for terminals and CI.
//   kubeglass check  [paths...] [--format text|json|sarif]
//   kubeglass select <selector> [paths...] [-n NAMESPACE | -A] [--kind KIND]
//   kubeglass lsp --stdio
// Exit codes: 0 success, 1 findings (error-level diagnostics, invalid selector), 2 usage or IO errors.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadWorkspace } from './load';
import { runCheck, type CheckFormat } from './check';
import { runSelect } from './select';
import { COMMANDS, type CommandContext } from './commands';
import { UsageError } from './usage-error';

const USAGE = `Usage: kubeglass <command> [options]

Commands:
  check [paths...] [--format text|json|sarif]     diagnostics for every manifest
  select <selector> [paths...] [-n NS | -A] [--kind KIND]
                                                  objects and pod templates a label selector matches
  lsp --stdio                                     start the language server
${COMMANDS.map((c) => `  ${c.usage}\n  ${' '.repeat(48)}${c.summary}`).join('\n')}
Paths default to the current directory; directories are searched recursively.`;


async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  if (command === '--version' || command === 'version') {
    process.stdout.write('kubeglass 0.1.0\n');
    return 0;
  }
  switch (command) {
    case 'check':
      return check(rest);
    case 'select':
      return select(rest);
    case 'lsp': {
      const { startStdioServer } = await import('../lsp/server');
      startStdioServer();
      return -1; // keeps running
    }
  }
  const extra = COMMANDS.find((c) => c.name === command);
  if (extra) {
    const ctx: CommandContext = { parse: (options) => parse(rest, options), out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), loadWorkspace };
    return extra.run(ctx);
  }
  throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
}

type ParsedArgs = { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] };

function parse(args: string[], options: ParseArgsConfig['options']): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function check(args: string[]): number {
  const { values, positionals } = parse(args, { format: { type: 'string', short: 'f' } });
  const format = (values.format ?? 'text') as string;
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
  const loaded = loadWorkspace(positionals.length ? positionals : ['.']);
  const fatal = reportLoadErrors(loaded.errors, positionals);
  if (fatal) return 2;
  const { output, hasErrors } = runCheck(loaded.workspace, format as CheckFormat);
  process.stdout.write(output);
  return hasErrors ? 1 : 0;
}

function select(args: string[]): number {
  const { values, positionals } = parse(args, {
    namespace: { type: 'string', short: 'n' },
    'all-namespaces': { type: 'boolean', short: 'A' },
    kind: { type: 'string' },
  });
  const [selector, ...paths] = positionals;
  if (selector === undefined) throw new UsageError('select needs a selector, e.g. kubeglass select "app=web,tier in (frontend)" .');
  if (values.namespace !== undefined && values['all-namespaces']) throw new UsageError('-n and -A cannot be used together');
  const loaded = loadWorkspace(paths.length ? paths : ['.']);
  if (reportLoadErrors(loaded.errors, paths)) return 2;
  const result = runSelect(loaded.workspace, selector, { namespace: values.namespace as string | undefined, kind: values.kind as string | undefined });
  if (!result.ok) {
    process.stderr.write(`kubeglass: invalid selector ${JSON.stringify(selector)}: ${result.error}\n`);
    return 1;
  }
  if (result.lines.length) process.stdout.write(result.lines.join('\n') + '\n');
  return 0;
}

/** Prints load errors; a path given on the command line that does not exist is fatal (exit 2). */
function reportLoadErrors(errors: readonly string[], given: readonly string[]): boolean {
  for (const e of errors) process.stderr.write(`kubeglass: ${e}\n`);
  return errors.some((e) => given.some((g) => e.startsWith(`${g}: no such file`)));
}

// A closed pipe (`kubeglass rules | head`) ends the output quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err) => {
    if (err instanceof UsageError) {
      process.stderr.write(`kubeglass: ${err.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`kubeglass: internal error: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 2;
    }
  },
);
