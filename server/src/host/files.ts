// Node-side host utilities shared by the CLI and the language server (the only code besides them that touches disk).
// Reading manifests from disk for the CLI and the language server's workspace scan. Directories are
// walked recursively (skipping node_modules, .git and hidden tool folders); symlink loops and files
// that vanish while being read are skipped, never fatal.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

const MANIFEST = /\.(ya?ml|json)$/i;
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '.vscode-test', 'dist', 'out']);

export interface FoundFile {
  readonly path: string;
  readonly uri: string;
}

export interface WalkResult {
  readonly files: FoundFile[];
  readonly errors: string[];
}

/** Every manifest file under the given paths (files are taken as given, whatever their extension). */
export function findManifestFiles(paths: readonly string[]): WalkResult {
  const files: FoundFile[] = [];
  const errors: string[] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  const add = (p: string) => {
    const abs = path.resolve(p);
    if (seenFiles.has(abs)) return;
    seenFiles.add(abs);
    files.push({ path: abs, uri: pathToFileURL(abs).href });
  };
  const walk = (dir: string) => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch (err) {
      errors.push(`${dir}: ${(err as Error).message}`);
      return;
    }
    if (seenDirs.has(real)) return; // symlink loop or a folder reached twice
    seenDirs.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      errors.push(`${dir}: ${(err as Error).message}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = fs.statSync(p);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir) {
        if (!SKIP_DIRS.has(e.name)) walk(p);
      } else if (isFile && MANIFEST.test(e.name) && !isToolFile(e.name)) add(p);
    }
  };
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (err) {
      errors.push(`${p}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
      continue;
    }
    if (st.isDirectory()) walk(p);
    else add(p);
  }
  return { files, errors };
}

/** Configuration files of tools that are never manifests. */
function isToolFile(name: string): boolean {
  return name === 'package.json' || name === 'package-lock.json' || name === 'tsconfig.json' || name === '.kubeglass.yaml';
}

/** Reads a file as text; undefined if it vanished or cannot be read. Invalid UTF-8 becomes U+FFFD. */
export function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export function uriToPath(uri: string): string {
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

/** A path for people: relative to the working directory when inside it. */
export function displayPath(uri: string, cwd = process.cwd()): string {
  const p = uriToPath(uri);
  const rel = path.relative(cwd, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}
