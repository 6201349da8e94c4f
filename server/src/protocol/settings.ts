// The settings shape shared by the VS Code settings (`kubeglass.*`), the workspace file `.kubeglass.yaml`
// and the CLI, and its conversion into engine options. Unknown or invalid values are reported, never fatal.
import type { AnalysisOptions } from '../engine/workspace';
import { DEFAULT_OPTIONS } from '../engine/workspace';
import type { Severity } from '../engine/checks/types';

export interface KubeglassSettings {
  defaultNamespace?: string;
  kubernetesVersion?: string;
  /** Per-code severity: error | warning | info | hint | off. */
  severity?: Record<string, string>;
  limits?: { maxFileSize?: number; maxAliasCount?: number; maxDepth?: number };
  /** Cluster profile (see docs/cluster-profile.md); kept as given, parsed by the simulator. */
  profile?: unknown;
}

const SEVERITIES = new Set(['error', 'warning', 'info', 'hint', 'off']);

/**
 * Highest values the limits may be raised to. Settings come from the workspace (`.kubeglass.yaml`,
 * workspace settings), which may be untrusted: they can loosen the guards, never remove them. An
 * alias budget bounds expansion work, a depth beyond ~1000 exhausts the parser's stack, and files
 * beyond 64 MB are not manifests anyone edits.
 */
export const LIMIT_CEILINGS = { maxFileSize: 64 * 1024 * 1024, maxAliasCount: 100_000, maxDepth: 1000 } as const;

/** Reads settings from an untrusted value (YAML file or editor configuration). */
export function readSettings(value: unknown): { settings: KubeglassSettings; problems: string[] } {
  const problems: string[] = [];
  const settings: KubeglassSettings = {};
  if (value === null || value === undefined) return { settings, problems };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { settings, problems: ['settings must be a mapping'] };
  }
  const v = value as Record<string, unknown>;
  if (v.defaultNamespace !== undefined) {
    if (typeof v.defaultNamespace === 'string' && v.defaultNamespace) settings.defaultNamespace = v.defaultNamespace;
    else problems.push('defaultNamespace must be a non-empty string');
  }
  if (v.kubernetesVersion !== undefined) {
    const s = String(v.kubernetesVersion);
    if (/^1\.\d+$/.test(s)) settings.kubernetesVersion = s;
    else problems.push(`kubernetesVersion must look like "1.34", not ${JSON.stringify(v.kubernetesVersion)}`);
  }
  const sev = v.severity ?? v.severities;
  if (sev !== undefined) {
    if (typeof sev === 'object' && sev !== null && !Array.isArray(sev)) {
      settings.severity = {};
      for (const [code, s] of Object.entries(sev)) {
        if (typeof s === 'string' && SEVERITIES.has(s)) settings.severity[code] = s;
        else problems.push(`severity.${code} must be one of error, warning, info, hint, off`);
      }
    } else problems.push('severity must be a mapping of diagnostic code to severity');
  }
  if (v.limits !== undefined) {
    if (typeof v.limits === 'object' && v.limits !== null) {
      const l = v.limits as Record<string, unknown>;
      settings.limits = {};
      for (const k of ['maxFileSize', 'maxAliasCount', 'maxDepth'] as const) {
        if (l[k] === undefined) continue;
        const n = l[k];
        if (typeof n !== 'number' || !(n > 0)) problems.push(`limits.${k} must be a positive number`);
        else if (n > LIMIT_CEILINGS[k]) {
          problems.push(`limits.${k} is capped at ${LIMIT_CEILINGS[k]}`);
          settings.limits[k] = LIMIT_CEILINGS[k];
        } else settings.limits[k] = Math.floor(n);
      }
    } else problems.push('limits must be a mapping');
  }
  if (v.profile !== undefined) settings.profile = v.profile;
  return { settings, problems };
}

export function toAnalysisOptions(settings: KubeglassSettings): AnalysisOptions {
  return {
    defaultNamespace: settings.defaultNamespace ?? DEFAULT_OPTIONS.defaultNamespace,
    kubernetesVersion: settings.kubernetesVersion ?? DEFAULT_OPTIONS.kubernetesVersion,
    severities: (settings.severity ?? {}) as Record<string, Severity | 'off'>,
    limits: { ...DEFAULT_OPTIONS.limits, ...(settings.limits ?? {}) },
  };
}

/** Merges settings, later sources winning field by field (severity maps are merged). */
export function mergeSettings(...all: KubeglassSettings[]): KubeglassSettings {
  const out: KubeglassSettings = {};
  for (const s of all) {
    if (s.defaultNamespace) out.defaultNamespace = s.defaultNamespace;
    if (s.kubernetesVersion) out.kubernetesVersion = s.kubernetesVersion;
    if (s.severity) out.severity = { ...(out.severity ?? {}), ...s.severity };
    if (s.limits) out.limits = { ...(out.limits ?? {}), ...s.limits };
    if (s.profile !== undefined) out.profile = s.profile;
  }
  return out;
}
