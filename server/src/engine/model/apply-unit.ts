import { compareText } from '../text/compare';
// Apply units: which files of a workspace are applied together. One repository often holds several
// variants of the same app (plain YAML, a kustomize base with overlays, a rendered release bundle in
// another folder); objects of different variants never meet in a cluster, so duplicate definitions
// and cross-references are judged within a unit, never across variants.
//
// A file belongs to:
// - every kustomization that lists it (transitively): `resources`, `bases` and `components` entries
//   naming a file include it; entries naming a folder include that folder's kustomization (or, when
//   the workspace has none there, the files directly in the folder). Unit id `kustomize:<folder>`.
//   So an overlay's unit holds its own resources and its bases' files, while two overlays of one
//   base share nothing but the base.
// - otherwise, when a kustomization uses it as a patch (`patches[].path`, `patchesStrategicMerge`,
//   `patchesJson6902[].path`): no unit at all. A patch repeats the identity of the object it patches
//   and is never applied as an object itself.
// - otherwise, as a plain manifest, the file alone (`file:<uri>`). A folder of plain manifests may be
//   applied at once (`kubectl apply -f <folder>`), but in real repositories the files of one folder
//   are mostly alternatives of each other (an all-in-one file beside a quickstart file, `deploy.yaml`
//   beside `deploy-gpu.yaml`, one example per file, all naming the same objects), so only a
//   kustomization says for sure which files go together. Checks that want a looser notion of "close"
//   (the severity of a missing reference) also accept files of the same folder.
// Remote kustomize resources (URLs, git references) are ignored.
//
// Pure: the caller passes the parsed kustomization files; no IO.
// Generated names (kustomize `configMapGenerator`/`secretGenerator`) are also collected here, as the
// kustomization is the only place they are visible.

export interface KustomizationSource {
  /** The kustomization file (`.../kustomization.yaml`, `.yml` or `Kustomization`). */
  readonly uri: string;
  /** Its parsed content (a mapping; anything else is ignored). */
  readonly value: unknown;
}

export interface ApplyUnitsInput {
  readonly kustomizations: readonly KustomizationSource[];
}

export interface ApplyUnits {
  /** The units a file belongs to, sorted; empty for kustomize patch files. */
  unitsOf(uri: string): readonly string[];
  /** True when some unit holds both files. */
  shareUnit(a: string, b: string): boolean;
  /** True when a kustomization uses the file as a patch and no kustomization lists it as a resource. */
  isPatch(uri: string): boolean;
  /** True when a kustomize generator (`configMapGenerator` / `secretGenerator`) creates an object of that kind and name. */
  isGenerated(kind: 'ConfigMap' | 'Secret', name: string): boolean;
  /**
   * The namespace a kustomization including both files sets (its `namespace` field moves every
   * object of the build there), or undefined when no shared kustomization sets one.
   */
  sharedNamespace(a: string, b: string): string | undefined;
  /**
   * True when a kustomization including the file adds labels to selectors (`commonLabels`, or
   * `labels` with `includeSelectors: true`): workload selectors missing from the file are written
   * by the build.
   */
  addsSelectorLabels(uri: string): boolean;
}

const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** True for the file names kustomize reads a kustomization from. */
export function isKustomizationFile(uri: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.includes(baseName(uri));
}

/** Picks the kustomization files out of parsed files (first document's value), for `applyUnits`. */
export function kustomizationSources(
  files: Iterable<{ readonly uri: string; readonly documents: ReadonlyArray<{ readonly value: unknown }> }>,
): KustomizationSource[] {
  const out: KustomizationSource[] = [];
  for (const f of files) {
    if (!isKustomizationFile(f.uri)) continue;
    const value = f.documents.find((d) => isMapping(d.value))?.value;
    if (value !== undefined) out.push({ uri: f.uri, value });
  }
  return out.sort((a, b) => compareText(a.uri, b.uri));
}

/** Builds the apply units of a workspace; see the header for the rules. */
export function applyUnits(input: ApplyUnitsInput): ApplyUnits {
  const model = buildModel(input.kustomizations);
  const cache = new Map<string, readonly string[]>();
  const unitsOf = (uri: string): readonly string[] => {
    let units = cache.get(uri);
    if (units === undefined) {
      units = computeUnits(model, uri);
      cache.set(uri, units);
    }
    return units;
  };
  return {
    unitsOf,
    shareUnit(a, b) {
      if (a === b) return unitsOf(a).length > 0;
      const other = new Set(unitsOf(b));
      return unitsOf(a).some((u) => other.has(u));
    },
    isPatch(uri) {
      return model.patches.has(uri) && !model.fileUnits.has(uri) && !model.folderUnits.has(dirName(uri));
    },
    isGenerated(kind, name) {
      return (kind === 'ConfigMap' ? model.configMaps : model.secrets).has(name);
    },
    addsSelectorLabels(uri) {
      return unitsOf(uri).some((u) => model.selectorLabels.has(u));
    },
    sharedNamespace(a, b) {
      const other = new Set(unitsOf(b));
      for (const unit of unitsOf(a)) {
        const ns = other.has(unit) ? model.namespaces.get(unit) : undefined;
        if (ns !== undefined) return ns;
      }
      return undefined;
    },
  };
}

/** The folder part of a uri, with a trailing slash: `file:///a/b.yaml` -> `file:///a/`. */
export function dirName(uri: string): string {
  return uri.slice(0, uri.lastIndexOf('/') + 1);
}

// ---------------------------------------------------------------------------------------------

interface Model {
  /** file uri -> kustomization folders including it */
  readonly fileUnits: Map<string, Set<string>>;
  /** folder -> kustomization folders including every file directly in it */
  readonly folderUnits: Map<string, Set<string>>;
  readonly patches: Set<string>;
  readonly configMaps: Set<string>;
  readonly secrets: Set<string>;
  /** unit id -> the `namespace` its kustomization sets */
  readonly namespaces: Map<string, string>;
  /** units whose kustomization adds labels to selectors */
  readonly selectorLabels: Set<string>;
}

interface Kustomization {
  readonly folder: string;
  readonly files: readonly string[];
  readonly folders: readonly string[];
}

function buildModel(sources: readonly KustomizationSource[]): Model {
  const byFolder = new Map<string, Kustomization>();
  const model: Model = { fileUnits: new Map(), folderUnits: new Map(), patches: new Set(), configMaps: new Set(), secrets: new Set(), namespaces: new Map(), selectorLabels: new Set() };
  const ordered = [...sources].sort(
    (a, b) => KUSTOMIZATION_FILE_NAMES.indexOf(baseName(a.uri)) - KUSTOMIZATION_FILE_NAMES.indexOf(baseName(b.uri)) || compareText(a.uri, b.uri),
  );
  for (const source of ordered) {
    if (!isMapping(source.value)) continue;
    const folder = dirName(source.uri);
    if (byFolder.has(folder)) continue; // kustomize refuses several; the first name in its order wins here
    const k = source.value;
    const files: string[] = [];
    const folders: string[] = [];
    for (const field of ['resources', 'bases', 'components']) {
      for (const entry of stringList(k[field])) {
        if (isRemote(entry)) continue;
        const target = resolvePath(folder, entry);
        if (target === undefined) continue;
        if (looksLikeFile(entry)) files.push(target);
        else folders.push(target.endsWith('/') ? target : `${target}/`);
      }
    }
    for (const entry of patchFiles(k)) {
      const target = resolvePath(folder, entry);
      if (target !== undefined) model.patches.add(target);
    }
    collectGeneratorNames(k.configMapGenerator, model.configMaps);
    collectGeneratorNames(k.secretGenerator, model.secrets);
    if (typeof k.namespace === 'string' && k.namespace !== '') model.namespaces.set(`kustomize:${folder}`, k.namespace);
    const labelsSelectors = Array.isArray(k.labels) && k.labels.some((l) => isMapping(l) && l.includeSelectors === true);
    if ((isMapping(k.commonLabels) && Object.keys(k.commonLabels).length > 0) || labelsSelectors) model.selectorLabels.add(`kustomize:${folder}`);
    byFolder.set(folder, { folder, files, folders });
  }
  // Each kustomization's unit holds everything it includes, transitively (cycles are cut).
  for (const root of byFolder.values()) {
    const unit = `kustomize:${root.folder}`;
    const seen = new Set<string>();
    const visit = (k: Kustomization) => {
      if (seen.has(k.folder)) return;
      seen.add(k.folder);
      for (const f of k.files) addTo(model.fileUnits, f, unit);
      for (const dir of k.folders) {
        const child = byFolder.get(dir);
        if (child) visit(child);
        else addTo(model.folderUnits, dir, unit);
      }
    };
    visit(root);
  }
  return model;
}

function computeUnits(model: Model, uri: string): readonly string[] {
  const units = new Set<string>([...(model.fileUnits.get(uri) ?? []), ...(model.folderUnits.get(dirName(uri)) ?? [])]);
  if (units.size > 0) return [...units].sort(compareText);
  if (model.patches.has(uri)) return [];
  return [`file:${uri}`];
}

function patchFiles(k: Record<string, unknown>): string[] {
  const out: string[] = [];
  // `patchesStrategicMerge` entries are file paths or inline patches (which hold a newline or a colon).
  for (const entry of stringList(k.patchesStrategicMerge)) if (!/[\n:]/.test(entry)) out.push(entry);
  for (const field of ['patches', 'patchesJson6902']) {
    const list = k[field];
    if (!Array.isArray(list)) continue;
    for (const p of list) if (isMapping(p) && typeof p.path === 'string') out.push(p.path);
  }
  return out;
}

function collectGeneratorNames(list: unknown, into: Set<string>): void {
  if (!Array.isArray(list)) return;
  for (const g of list) if (isMapping(g) && typeof g.name === 'string' && g.name !== '') into.add(g.name);
}

function addTo(map: Map<string, Set<string>>, key: string, unit: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(unit);
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((e): e is string => typeof e === 'string' && e.trim() !== '').map((e) => e.trim()) : [];
}

/** URLs, git references and `host.tld/owner/repo` remote bases. */
function isRemote(entry: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || entry.startsWith('git@') || entry.includes('?ref=') || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry);
}

function looksLikeFile(entry: string): boolean {
  return /\.(ya?ml|json)$/i.test(entry);
}

/** Resolves a relative path against a folder uri (`file:///a/b/` + `../c/d.yaml` -> `file:///a/c/d.yaml`). */
function resolvePath(folder: string, entry: string): string | undefined {
  const schemeEnd = folder.indexOf('://');
  const rootEnd = schemeEnd === -1 ? 0 : folder.indexOf('/', schemeEnd + 3) + 1;
  if (rootEnd <= 0 && schemeEnd !== -1) return undefined;
  const root = folder.slice(0, rootEnd);
  const segments = entry.startsWith('/') ? [] : folder.slice(rootEnd).split('/').filter((s) => s !== '');
  for (const raw of entry.split('/')) {
    if (raw === '' || raw === '.') continue;
    if (raw === '..') {
      if (segments.length === 0) return undefined;
      segments.pop();
    } else segments.push(encodeSegment(raw));
  }
  const trailing = entry.endsWith('/') && segments.length > 0 ? '/' : '';
  return root + segments.join('/') + trailing;
}

/** Percent-encodes what a file URL path encodes (as file uris from the host do). */
function encodeSegment(s: string): string {
  return s.replace(/[%\s"#<>?`{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function baseName(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

