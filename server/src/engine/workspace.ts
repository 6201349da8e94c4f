// The engine's host: the only mutable object. Adapters push file texts in (`setFile`/`removeFile`)
// and ask questions; nothing here does IO. A change re-parses only its file, updates the index, and
// invalidates the diagnostics of exactly the files whose objects can see the change: those with
// objects in a namespace where an object's cross-reference "interface" (identity, labels, selectors,
// ports, ...) changed. Editing a container image changes no interface and re-checks only its own file.
import { parseFile, DEFAULT_LIMITS, type ParsedFile, type ParseLimits, type FieldPath } from './syntax/parse';
import type { Document } from 'yaml';
import { TreeCache, locatePath, pathAtOffset, type PathAtOffset } from './syntax/source-map';
import { extractObjects, type K8sObject } from './model/object';
import { WorkspaceIndex } from './index/workspace-index';
import { CHECKS, defaultSeverities } from './checks/registry';
import type { Check, CheckContext, FindingInput, Fix, Place, Severity } from './checks/types';
import { LineIndex } from './text/line-index';
import { interfaceOf } from './model/interface';
import { suppressionsOf, isSuppressed } from './checks/suppression';
import { resolveEdit } from './checks/fix-edits';
import { applyUnits, kustomizationSources, isKustomizationFile } from './model/apply-unit';

export interface AnalysisOptions {
  readonly defaultNamespace: string;
  readonly kubernetesVersion: string;
  /** Per-code severity overrides; 'off' disables a code. */
  readonly severities: Readonly<Record<string, Severity | 'off'>>;
  readonly limits: ParseLimits;
}

export const DEFAULT_OPTIONS: AnalysisOptions = {
  defaultNamespace: 'default',
  kubernetesVersion: '1.34',
  severities: {},
  limits: DEFAULT_LIMITS,
};

export interface Span {
  readonly uri: string;
  readonly start: number;
  readonly end: number;
}

export interface ResolvedEdit extends Span {
  readonly newText: string;
}

export interface ResolvedFix {
  readonly title: string;
  readonly preferred: boolean;
  readonly edits: readonly ResolvedEdit[];
}

/** A diagnostic in engine terms: offsets into the file's text. */
export interface EngineDiagnostic extends Span {
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly related: ReadonlyArray<Span & { readonly message: string }>;
  readonly fixes: readonly ResolvedFix[];
}

export type FileChange = { readonly uri: string; readonly text: string } | { readonly uri: string; readonly removed: true };

/** Derived values kept per revision (see `memo`). */
const MEMO_CAPACITY = 64;
/** Derived values kept across revisions (see `memoByInputs`). */
const KEPT_CAPACITY = 256;

export class Workspace {
  private readonly files = new Map<string, ParsedFile>();
  private readonly index = new WorkspaceIndex();
  private readonly interfaces = new Map<string, string>();
  private readonly diagnosticsCache = new Map<string, readonly EngineDiagnostic[]>();
  /** uri -> files whose cached diagnostics hold ranges in it (related information, fix edits). */
  private readonly rangesInto = new Map<string, Set<string>>();
  private readonly lineIndexes = new Map<string, LineIndex>();
  private readonly trees: TreeCache;
  private readonly memos = new Map<string, unknown>();
  private readonly kept = new Map<string, { readonly inputs: readonly string[]; readonly value: unknown }>();
  /**
   * Findings per object, reused while nothing its checks can see has changed: its own file (a new
   * object after every parse), the interfaces of its namespace (a cluster-scoped object sees every
   * namespace) and the workspace-wide state (cluster-scoped objects, kustomizations, options).
   */
  private readonly objectFindings = new WeakMap<K8sObject, { readonly generation: number; readonly global: number; readonly findings: readonly EngineDiagnostic[] }>();
  private readonly namespaceGenerations = new Map<string, number>();
  private anyNamespaceGeneration = 0;
  private globalGeneration = 0;
  /**
   * Work counters, for benchmarks and the incrementality tests: objects whose checks ran, and values
   * `memoByInputs` computed (not kept from an earlier revision).
   */
  readonly counters = { objectsChecked: 0, keptValuesComputed: 0 };
  private memoRevision = -1;
  private options: AnalysisOptions;
  private revisionNumber = 0;

  constructor(options: Partial<AnalysisOptions> = {}) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
    this.trees = new TreeCache(32, this.options.limits);
  }

  get revision(): number {
    return this.revisionNumber;
  }

  get objectIndex(): WorkspaceIndex {
    return this.index;
  }

  /** Changes options; every file is re-extracted (the default namespace changes identities). */
  setOptions(options: Partial<AnalysisOptions>): void {
    this.options = { ...this.options, ...options };
    const texts = [...this.files.values()].map((f) => ({ uri: f.uri, text: f.text }));
    for (const f of texts) this.files.delete(f.uri);
    this.apply(texts);
    this.diagnosticsCache.clear();
    this.kept.clear();
  }

  getOptions(): AnalysisOptions {
    return this.options;
  }

  /**
   * Applies file changes. Returns the uris whose diagnostics may have changed (the changed files and
   * the files that depend on them), which an adapter republishes.
   */
  apply(changes: readonly FileChange[]): string[] {
    this.revisionNumber++;
    const dirty = new Set<string>();
    const touchedNamespaces = new Set<string>();
    let clusterScopedTouched = false;
    for (const change of changes) {
      dirty.add(change.uri);
      // Kustomizations decide apply units, namespaces and patches for the files they include.
      if (isKustomizationFile(change.uri)) clusterScopedTouched = true;
      const before = this.index.objectsInFile(change.uri);
      const beforeInterfaces = new Map(before.map((o) => [o.id, this.interfaces.get(o.id)]));
      for (const o of before) this.interfaces.delete(o.id);
      this.lineIndexes.delete(change.uri);
      this.trees.forget(change.uri);
      let after: K8sObject[] = [];
      if ('removed' in change) {
        this.files.delete(change.uri);
        this.index.removeFile(change.uri);
      } else {
        const parsed = parseFile(change.uri, change.text, this.options.limits);
        this.files.set(change.uri, parsed);
        after = extractObjects(parsed, { defaultNamespace: this.options.defaultNamespace });
        this.index.setFile(change.uri, after);
      }
      const afterIds = new Set<string>();
      for (const o of after) {
        const iface = interfaceOf(o);
        this.interfaces.set(o.id, iface);
        afterIds.add(o.id);
        if (beforeInterfaces.get(o.id) !== iface) {
          touchedNamespaces.add(o.namespace);
          if (o.clusterScoped) clusterScopedTouched = true;
        }
      }
      for (const o of before) {
        const stillThere = afterIds.has(o.id) && this.interfaces.get(o.id) === beforeInterfaces.get(o.id);
        if (!stillThere) {
          touchedNamespaces.add(o.namespace);
          if (o.clusterScoped) clusterScopedTouched = true;
        }
      }
    }
    if (clusterScopedTouched) {
      for (const uri of this.files.keys()) dirty.add(uri);
    } else if (touchedNamespaces.size > 0) {
      for (const uri of this.files.keys()) {
        if (dirty.has(uri)) continue;
        if (this.index.objectsInFile(uri).some((o) => touchedNamespaces.has(o.namespace) || o.clusterScoped)) dirty.add(uri);
      }
    }
    // Cached diagnostics of other files may point into a changed file by offset (related information,
    // quick-fix edits); an edit there moves those offsets even when no interface changed.
    for (const change of changes) {
      for (const uri of this.rangesInto.get(change.uri) ?? []) {
        dirty.add(uri);
        for (const o of this.index.objectsInFile(uri)) this.objectFindings.delete(o);
      }
    }
    for (const change of changes) this.rangesInto.delete(change.uri);
    if (clusterScopedTouched) this.globalGeneration++;
    for (const ns of touchedNamespaces) this.namespaceGenerations.set(ns, (this.namespaceGenerations.get(ns) ?? 0) + 1);
    if (touchedNamespaces.size > 0) this.anyNamespaceGeneration++;
    for (const uri of dirty) this.diagnosticsCache.delete(uri);
    return [...dirty].sort();
  }

  setFile(uri: string, text: string): string[] {
    return this.apply([{ uri, text }]);
  }

  removeFile(uri: string): string[] {
    return this.apply([{ uri, removed: true }]);
  }

  hasFile(uri: string): boolean {
    return this.files.has(uri);
  }

  fileUris(): string[] {
    return [...this.files.keys()].sort();
  }

  file(uri: string): ParsedFile | undefined {
    return this.files.get(uri);
  }

  text(uri: string): string | undefined {
    return this.files.get(uri)?.text;
  }

  objects(): K8sObject[] {
    const out: K8sObject[] = [];
    for (const uri of this.fileUris()) out.push(...this.index.objectsInFile(uri));
    return out;
  }

  objectsIn(uri: string): readonly K8sObject[] {
    return this.index.objectsInFile(uri);
  }

  lineIndex(uri: string): LineIndex {
    let li = this.lineIndexes.get(uri);
    if (!li) {
      li = new LineIndex(this.files.get(uri)?.text ?? '');
      this.lineIndexes.set(uri, li);
    }
    return li;
  }

  /** The object whose document contains `offset`, and the field path there. */
  objectAt(uri: string, offset: number): { object: K8sObject; path: FieldPath; onKey: boolean; span: { start: number; end: number } } | undefined {
    const file = this.files.get(uri);
    if (!file) return undefined;
    const at: PathAtOffset | undefined = pathAtOffset(this.trees.documents(uri, file.text), offset);
    if (!at) return undefined;
    const candidates = this.index.objectsInFile(uri).filter((o) => o.docIndex === at.docIndex);
    for (const o of candidates) {
      const base = o.basePath;
      if (base.every((seg, i) => at.path[i] === seg)) {
        return { object: o, path: at.path.slice(base.length), onKey: at.onKey, span: at.span };
      }
    }
    return undefined;
  }

  /** The span of a place: its key (default) or value. */
  locate(place: Place): Span {
    const { object } = place;
    const text = this.files.get(object.uri)?.text ?? '';
    const full = [...object.basePath, ...place.path];
    const loc = locatePath(this.documentTree(object), object.docIndex, full);
    if (!loc) return { uri: object.uri, start: 0, end: 0 };
    const span = place.target === 'value' ? loc.value : loc.key;
    return { uri: object.uri, start: span.start, end: span.end };
  }

  /** The trees `locatePath` needs for `object`: only its own document is parsed (see `TreeCache.document`). */
  private documentTree(object: K8sObject): Document.Parsed[] {
    const docs: Document.Parsed[] = [];
    const doc = this.trees.document(object.uri, this.files.get(object.uri)?.text ?? '', object.docIndex);
    if (doc) docs[object.docIndex] = doc;
    return docs;
  }

  /** The text of the value at `path` in `object` as written in its file (see `CheckContext.scalarSource`). */
  scalarSource(object: K8sObject, path: FieldPath): string | undefined {
    const text = this.files.get(object.uri)?.text;
    if (text === undefined) return undefined;
    const loc = locatePath(this.documentTree(object), object.docIndex, [...object.basePath, ...path]);
    if (!loc?.exact) return undefined;
    // A map entry without a value (`key:`) is located at its key: it has no text of its own.
    if (loc.value === loc.key && typeof path[path.length - 1] === 'string') return '';
    return text.slice(loc.value.start, loc.value.end);
  }

  /** All diagnostics of one file, computed on demand and cached until a change can affect them. */
  diagnostics(uri: string): readonly EngineDiagnostic[] {
    const cached = this.diagnosticsCache.get(uri);
    if (cached) return cached;
    const computed = this.computeDiagnostics(uri);
    this.diagnosticsCache.set(uri, computed);
    for (const d of computed) {
      for (const r of d.related) if (r.uri !== uri) this.noteRangesInto(r.uri, uri);
      for (const f of d.fixes) for (const e of f.edits) if (e.uri !== uri) this.noteRangesInto(e.uri, uri);
    }
    return computed;
  }

  private noteRangesInto(target: string, from: string): void {
    let set = this.rangesInto.get(target);
    if (!set) this.rangesInto.set(target, (set = new Set()));
    set.add(from);
  }

  private computeDiagnostics(uri: string): EngineDiagnostic[] {
    const file = this.files.get(uri);
    if (!file) return [];
    const out: EngineDiagnostic[] = [];
    const severities = { ...defaultSeverities(), ...this.options.severities } as Record<string, Severity | 'off'>;
    const objects = this.index.objectsInFile(uri);
    // Problems of files without Kubernetes content stay silent (CI files, compose files, values), except
    // binary content: a `.yaml` file that is not text (say, encrypted by git-crypt) deserves a word.
    const isBinary = file.problems.some((p) => p.code === 'not-text');
    if (file.looksLikeKubernetes || objects.length > 0 || file.isTemplate || isBinary) {
      for (const p of file.problems) {
        const severity = severities[p.code] ?? p.severity;
        if (severity === 'off') continue;
        out.push({ uri, start: p.start, end: p.end, severity, code: p.code, message: p.message, related: [], fixes: [] });
      }
    }
    const ctx = this.checkContext();
    const suppressions = suppressionsOf(file.text);
    for (const object of objects) {
      if (object.hasSyntaxErrors) continue;
      const generation = object.clusterScoped ? this.anyNamespaceGeneration : (this.namespaceGenerations.get(object.namespace) ?? 0);
      const cached = this.objectFindings.get(object);
      if (cached && cached.generation === generation && cached.global === this.globalGeneration) {
        out.push(...cached.findings);
        continue;
      }
      this.counters.objectsChecked++;
      const from = out.length;
      for (const check of CHECKS) {
        if (check.kinds && !check.kinds.includes(object.kind)) continue;
        this.runCheck(check, object, ctx, (f) => {
          const severity = this.options.severities[f.code] ?? f.severity ?? check.codes[f.code] ?? 'warning';
          if (severity === 'off') return;
          if (isIgnoredByAnnotation(object, f.code)) return;
          const span = this.locate({ object, path: f.path ?? ['metadata', 'name'], target: f.target });
          const line = this.lineIndex(uri).position(span.start).line;
          if (isSuppressed(suppressions, line, f.code)) return;
          out.push({
            ...span,
            severity,
            code: f.code,
            message: f.message,
            related: (f.related ?? []).map((r) => ({ ...this.locate(r), message: r.message })),
            fixes: (f.fixes ?? []).map((fix) => this.resolveFix(fix)),
          });
        });
      }
      this.objectFindings.set(object, { generation, global: this.globalGeneration, findings: out.slice(from) });
    }
    return out.sort((a, b) => a.start - b.start || a.code.localeCompare(b.code));
  }

  /** The context checks (and IDE features that share their derived data) read the workspace through. */
  checkContext(): CheckContext {
    const ws = this;
    return {
      index: this.index,
      options: this.options,
      memo: (key, compute) => this.memo(key, compute),
      memoByInputs: (key, inputs, compute) => this.memoByInputs(key, inputs, compute),
      scalarSource: (object, path) => this.scalarSource(object, path),
      get applyUnits() {
        return ws.memo('apply-units:workspace', () => applyUnits({ kustomizations: kustomizationSources(ws.files.values()) }));
      },
    };
  }

  /** Memoizes derived data for the current revision (cleared whenever the workspace changes). */
  memo<T>(key: string, compute: () => T): T {
    if (this.memoRevision !== this.revisionNumber) {
      this.memos.clear();
      this.memoRevision = this.revisionNumber;
    }
    if (this.memos.has(key)) {
      const hit = this.memos.get(key) as T;
      this.memos.delete(key);
      this.memos.set(key, hit);
      return hit;
    }
    const value = compute();
    this.memos.set(key, value);
    // The least recently used entries go: a pass over the workspace needs the workspace-wide ones and
    // those of the file at hand, and keeping every per-namespace model of a revision costs tens of MB.
    while (this.memos.size > MEMO_CAPACITY) this.memos.delete(this.memos.keys().next().value as string);
    return value;
  }

  /** See `CheckContext.memoByInputs`: kept across revisions, least recently used entries evicted. */
  memoByInputs<T>(key: string, inputs: readonly string[], compute: () => T): T {
    const hit = this.kept.get(key);
    this.kept.delete(key);
    if (hit && hit.inputs.length === inputs.length && hit.inputs.every((input, i) => input === inputs[i])) {
      this.kept.set(key, hit);
      return hit.value as T;
    }
    this.counters.keptValuesComputed++;
    const value = compute();
    this.kept.set(key, { inputs, value });
    while (this.kept.size > KEPT_CAPACITY) this.kept.delete(this.kept.keys().next().value as string);
    return value;
  }

  private runCheck(check: Check, object: K8sObject, ctx: CheckContext, report: (f: FindingInput) => void): void {
    try {
      check.run(object, ctx, report);
    } catch (err) {
      // A throwing check is an engine bug: it must not hide the other checks' findings.
      report({
        code: 'internal-error',
        severity: 'hint',
        message: `Kubeglass internal error in a check (${Object.keys(check.codes).join(', ')}): ${(err as Error).message}`,
      });
    }
  }

  private resolveFix(fix: Fix): ResolvedFix {
    const edits: ResolvedEdit[] = [];
    for (const edit of fix.edits) {
      const resolved = resolveEdit(this, edit);
      if (resolved) edits.push(resolved);
    }
    return { title: fix.title, preferred: fix.preferred ?? false, edits };
  }
}

function isIgnoredByAnnotation(object: K8sObject, code: string): boolean {
  const value = object.annotations['kubeglass.io/ignore'];
  if (!value) return false;
  return value.split(',').some((c) => c.trim() === code || c.trim() === 'all');
}
