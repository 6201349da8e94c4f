// Builds an engine workspace from paths on disk, with the settings of the nearest `.kubeglass.yaml`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Workspace } from '../engine/workspace';
import { readSettings, toAnalysisOptions, type KubeglassSettings } from '../protocol/settings';
import { findManifestFiles, readText } from '../host/files';

export interface LoadedWorkspace {
  readonly workspace: Workspace;
  readonly settings: KubeglassSettings;
  readonly errors: string[];
  readonly fileCount: number;
}

export function loadWorkspace(paths: readonly string[], overrides: KubeglassSettings = {}): LoadedWorkspace {
  const errors: string[] = [];
  const settings = { ...loadSettingsFile(paths[0] ?? '.', errors), ...overrides };
  const workspace = new Workspace(toAnalysisOptions(settings));
  const found = findManifestFiles(paths);
  errors.push(...found.errors);
  const changes: { uri: string; text: string }[] = [];
  for (const f of found.files) {
    const text = readText(f.path);
    if (text === undefined) {
      errors.push(`${f.path}: could not be read`);
      continue;
    }
    changes.push({ uri: f.uri, text });
  }
  workspace.apply(changes);
  return { workspace, settings, errors, fileCount: changes.length };
}

/** Settings from `.kubeglass.yaml` in the first path's folder or the nearest folder above it. */
function loadSettingsFile(start: string, errors: string[]): KubeglassSettings {
  let dir = path.resolve(start);
  try {
    if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    return {};
  }
  for (;;) {
    const candidate = path.join(dir, '.kubeglass.yaml');
    if (fs.existsSync(candidate)) {
      try {
        const { settings, problems } = readSettings(parseYaml(fs.readFileSync(candidate, 'utf8')));
        errors.push(...problems.map((p) => `${candidate}: ${p}`));
        return settings;
      } catch (err) {
        errors.push(`${candidate}: ${(err as Error).message}`);
        return {};
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return {};
    dir = parent;
  }
}
