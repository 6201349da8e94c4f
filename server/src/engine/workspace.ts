// The engine's host: the only mutable object. Adapters push file texts in (`setFile`/`removeFile`)
// and ask questions; nothing here does IO. A change re-parses only its file, updates the index, and
// marks what changed in it: the keys (index/workspace-index.ts `readKeys`) under which an object
// whose cross-reference "interface" (identity, labels, selectors, ports, ...) changed, appeared or
// went away is visible. Every check of every object keeps its findings until a key it read (the
// index records the reads) changes; a file's diagnostics are invalidated when a key one of its checks
// read changes. Editing a container image changes no interface and re-checks only its own file; a
// pod-label edit re-runs the checks whose selectors or models cover those labels, nothing else.
import { parseFile, DEFAULT_LIMITS, type ParsedFile, type ParseLimits, type FieldPath } from './syntax/parse';
import type { Document } from 'yaml';
import { TreeCache, locatePath, pathAtOffset, type PathAtOffset } from './syntax/source-map';
import { locateInBlockText, pathAtInBlockText, type BlockLocation } from './syntax/block-locate';
import { extractObjects, type K8sObject, type Labels } from './model/object';
import { WorkspaceIndex, readKeys } from './index/workspace-index';
import { CHECKS, defaultSeverities } from './checks/registry';
import type { Check, CheckContext, FindingInput, Fix, Place, Severity } from './checks/types';
import { LineIndex } from './text/line-index';
import { interfaceOf } from './model/interface';
import { WORKLOAD_KINDS } from './model/kinds';
import { suppressionsOf, isSuppressed, type Suppressions } from './checks/suppression';
import { resolveEdit } from './checks/fix-edits';
import { applyUnits, dirName, kustomizationSources, isKustomizationFile, type ApplyUnits } from './model/apply-unit';

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
/** Distinct sets of read keys shared before the table starts over (see `intern`). */
const INTERNED_READS_CAPACITY = 50_000;

export class Workspace {
  private readonly files = new Map<string, ParsedFile>();
  private readonly index = new WorkspaceIndex();
  private readonly interfaces = new Map<string, string>();
  private readonly diagnosticsCache = new Map<string, readonly EngineDiagnostic[]>();
  /** uri -> files whose cached diagnostics hold ranges in it (related information, fix edits). */
  private readonly rangesInto = new Map<string, Set<string>>();
  private readonly lineIndexes = new Map<string, LineIndex>();
  private readonly trees: TreeCache;
  private readonly memos = new Map<string, { readonly value: unknown; readonly reads: readonly string[] }>();
  private readonly kept = new Map<string, { readonly inputs: readonly string[]; readonly value: unknown; readonly reads: readonly string[] }>();
  /**
   * Findings per object and check (in `checksFor(kind)` order), reused while nothing the check read
   * has changed since `checkedAt`: its own object (a new object after every parse), the index keys
   * it read (`readKeys`) and the workspace-wide state (cluster-scoped objects, kustomizations, options).
   */
  private readonly objectFindings = new WeakMap<K8sObject, ObjectFindings>();
  /**
   * Read key -> files whose cached diagnostics read it (a key most files never share, a name or an
   * object, has one reader: a uri, not a set of one); uri -> those keys. See `noteFileReads`.
   */
  private readonly readers = new Map<string, string | Set<string>>();
  private readonly fileReads = new Map<string, readonly string[]>();
  /** The keys the edit being applied changed. */
  private changedNow = new Set<string>();
  /** Read key -> the revision whose edit last changed something under it. */
  private readonly changedAt = new Map<string, number>();
  /** Where the index records reads: the innermost check run or memo computation, if any. */
  private readLog: Set<string> | undefined;
  private readonly internedReads = new Map<string, readonly string[]>();
  private readonly emptyResults = new WeakMap<readonly string[], CheckFindings>();
  private readonly checksByKind = new Map<string, readonly Check[]>();
  private globalGeneration = 0;
  private context: CheckContext | undefined;
  /** Apply units depend on the kustomization files alone, whose every edit bumps `globalGeneration`. */
  private applyUnitsKept: { readonly global: number; readonly units: ApplyUnits } | undefined;
  /**
   * Work counters, for benchmarks and the incrementality tests: objects with at least one check run,
   * checks run (one per object and check; per check, by its first code), and values `memoByInputs`
   * computed (not kept from an earlier revision).
   */
  readonly counters = { objectsChecked: 0, checksRun: 0, runsByCheck: new Map<string, number>(), keptValuesComputed: 0 };
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
    this.changedNow = new Set();
    const dirty = new Set<string>();
    let clusterScopedTouched = false;
    const namespacesVersion = this.index.namespacesVersion;
    /** Marks what an object that changed, appeared or went away was visible through; `podLabels` when it has a pod template. */
    const touch = (o: K8sObject, podLabels: Labels | undefined) => {
      if (o.clusterScoped) clusterScopedTouched = true;
      this.markChanged(readKeys.object(o.id));
      this.markChanged(readKeys.named(o.kind, o.namespace, o.name));
      this.markChanged(readKeys.groups(o.namespace));
      this.markChanged(readKeys.kind(o.kind, o.namespace));
      this.markChanged(readKeys.kind(o.kind, undefined));
      if (!podLabels) return;
      this.markChanged(readKeys.pods(o.namespace));
      this.markChanged(readKeys.pods(undefined));
      this.markChanged(readKeys.podsInFolder(o.namespace, dirName(o.uri)));
      // The names the NetworkPolicy model may give its pods: `web`, or `web-deployment` for a
      // Deployment `web` whose name another workload took first.
      this.markChanged(readKeys.podsNamed(o.namespace, o.name));
      for (const kind of WORKLOAD_KINDS) this.markChanged(readKeys.podsNamed(o.namespace, `${o.name}-${kind.toLowerCase()}`));
      for (const [key, value] of Object.entries(podLabels)) this.markChanged(readKeys.podLabel(o.namespace, key, value));
    };
    if (changes.length > 0) this.markChanged(readKeys.everything);
    for (const change of changes) {
      dirty.add(change.uri);
      this.markChanged(readKeys.file(change.uri));
      // Kustomizations decide apply units, namespaces and patches for the files they include.
      if (isKustomizationFile(change.uri)) clusterScopedTouched = true;
      const before = this.index.objectsInFile(change.uri);
      const beforeInterfaces = new Map(before.map((o) => [o.id, this.interfaces.get(o.id)]));
      const beforePodLabels = new Map(before.map((o) => [o, this.index.podTemplate(o)?.labels]));
      for (const o of before) this.interfaces.delete(o.id);
      this.lineIndexes.delete(change.uri);
      this.trees.forget(change.uri);
      let after: K8sObject[] = [];
      if ('removed' in change) {
        this.files.delete(change.uri);
        this.index.removeFile(change.uri);
      } else {
        const previous = this.files.get(change.uri);
        const parsed = parseFile(change.uri, change.text, this.options.limits);
        this.files.set(change.uri, parsed);
        after = extractObjects(parsed, { defaultNamespace: this.options.defaultNamespace });
        this.index.setFile(change.uri, after);
        if (previous) this.carryOver(previous, parsed, before, after);
      }
      const afterIds = new Set<string>();
      for (const o of after) {
        const iface = interfaceOf(o);
        this.interfaces.set(o.id, iface);
        afterIds.add(o.id);
        if (beforeInterfaces.get(o.id) !== iface) touch(o, this.index.podTemplate(o)?.labels);
      }
      for (const o of before) {
        const stillThere = afterIds.has(o.id) && this.interfaces.get(o.id) === beforeInterfaces.get(o.id);
        if (!stillThere) touch(o, beforePodLabels.get(o));
      }
    }
    if (this.index.namespacesVersion !== namespacesVersion) this.markChanged(readKeys.namespaces);
    if (clusterScopedTouched) {
      for (const uri of this.files.keys()) dirty.add(uri);
    } else {
      for (const key of this.changedNow) {
        const files = this.readers.get(key);
        if (typeof files === 'string') dirty.add(files);
        else for (const uri of files ?? []) dirty.add(uri);
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
    for (const change of changes) {
      this.rangesInto.delete(change.uri);
      if ('removed' in change) this.forgetFileReads(change.uri);
    }
    if (clusterScopedTouched) this.globalGeneration++;
    for (const uri of dirty) this.diagnosticsCache.delete(uri);
    return [...dirty].sort();
  }

  /**
   * An edit elsewhere in a file leaves a document's text as it was: its new object takes over the old
   * one's per-check results that found nothing (a finding holds offsets, which move with the text
   * before them), to be kept or not by what they read, as any. Not across suppression comments, which
   * may have hidden a finding, nor directives, which belong to the stream.
   */
  private carryOver(previous: ParsedFile, parsed: ParsedFile, before: readonly K8sObject[], after: readonly K8sObject[]): void {
    for (const text of [previous.text, parsed.text]) if (text.includes('kubeglass-disable') || /^%/m.test(text)) return;
    const old = new Map(before.map((o) => [o.id, o]));
    for (const o of after) {
      const was = old.get(o.id);
      const kept = was && this.objectFindings.get(was);
      const a = was && previous.documents[was.docIndex];
      const b = parsed.documents[o.docIndex];
      if (!kept || !a || !b || o.hasSyntaxErrors || previous.text.slice(a.start, a.end) !== parsed.text.slice(b.start, b.end)) continue;
      const perCheck = kept.perCheck.map((entry) => (entry && entry.findings.length === 0 ? entry : undefined));
      this.objectFindings.set(o, { checkedAt: kept.checkedAt, global: kept.global, reads: CARRIED_OVER, findings: NO_FINDINGS, perCheck });
    }
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
    const at = this.pathAt(file, offset);
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

  /**
   * The field path at `offset`. In a file without problems it is read from the block-style text of
   * the document holding the offset, else that document alone is parsed (`TreeCache.document`): the
   * first hover in a file need not parse all of it.
   */
  private pathAt(file: ParsedFile, offset: number): PathAtOffset | undefined {
    const doc = file.problems.length === 0 ? file.documents.find((d) => offset >= d.start && offset <= d.end) : undefined;
    const read = doc && doc.value !== undefined && !doc.hasErrors ? pathAtInBlockText(file.text, doc.start, doc.end, offset) : undefined;
    if (doc && read) return { ...read, docIndex: doc.index };
    const tree = doc && doc.value !== undefined ? this.trees.document(file.uri, file.text, doc.index) : undefined;
    if (!doc || !tree) return pathAtOffset(this.trees.documents(file.uri, file.text), offset);
    const at = pathAtOffset([tree], offset);
    return at && { ...at, docIndex: doc.index };
  }

  /** The span of a place: its key (default) or value. */
  locate(place: Place): Span {
    const { object } = place;
    const full = [...object.basePath, ...place.path];
    const read = this.blockLocation(object, full);
    const fast = read && (place.target === 'value' ? read.value : read.key);
    if (fast?.end !== undefined) return { uri: object.uri, start: fast.start, end: fast.end };
    const loc = locatePath(this.documentTree(object), object.docIndex, full);
    if (!loc) return { uri: object.uri, start: 0, end: 0 };
    const span = place.target === 'value' ? loc.value : loc.key;
    return { uri: object.uri, start: span.start, end: span.end };
  }

  /**
   * Where a place starts: `locate(place).start`, without parsing a document for an end that only
   * its tree knows (a block collection's); for links, which name a line.
   */
  locateStart(place: Place): { uri: string; start: number } {
    const read = this.blockLocation(place.object, [...place.object.basePath, ...place.path]);
    if (read) return { uri: place.object.uri, start: place.target === 'value' ? read.value.start : read.key.start };
    return this.locate(place);
  }

  /** `path` located by reading the block-style text of the object's document (undefined: the tree must tell). */
  private blockLocation(object: K8sObject, path: FieldPath): BlockLocation | undefined {
    const file = this.files.get(object.uri);
    const doc = file?.documents[object.docIndex];
    if (!file || !doc || doc.index !== object.docIndex || doc.hasErrors || file.problems.length > 0) return undefined;
    return locateInBlockText(file.text, doc.start, doc.end, path);
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
    const read = this.blockLocation(object, [...object.basePath, ...path]);
    if (read && read.value.end !== undefined) return read.exact ? text.slice(read.value.start, read.value.end) : undefined;
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
    const objects = this.index.objectsInFile(uri);
    // Problems of files without Kubernetes content stay silent (CI files, compose files, values), except
    // binary content: a `.yaml` file that is not text (say, encrypted by git-crypt) deserves a word.
    const isBinary = file.problems.some((p) => p.code === 'not-text');
    if (file.problems.length > 0 && (file.looksLikeKubernetes || objects.length > 0 || file.isTemplate || isBinary)) {
      const severities = { ...defaultSeverities(), ...this.options.severities } as Record<string, Severity | 'off'>;
      for (const p of file.problems) {
        const severity = severities[p.code] ?? p.severity;
        if (severity === 'off') continue;
        out.push({ uri, start: p.start, end: p.end, severity, code: p.code, message: p.message, related: [], fixes: [] });
      }
    }
    const ctx = this.checkContext();
    // Suppression comments are looked for only once a check reports something.
    let suppressions: Suppressions | undefined;
    const suppressionsNow = () => (suppressions ??= suppressionsOf(file.text));
    let entriesChanged = !this.fileReads.has(uri);
    for (const object of objects) {
      if (object.hasSyntaxErrors) continue;
      const before = this.objectFindings.get(object);
      out.push(...this.findingsOf(object, ctx, suppressionsNow));
      if (this.objectFindings.get(object) !== before) entriesChanged = true;
    }
    // The keys the file's checks read change only with an object's entry.
    if (entriesChanged) {
      const reads = new Set<string>();
      for (const object of objects) for (const key of this.objectFindings.get(object)?.reads ?? []) reads.add(key);
      this.noteFileReads(uri, reads);
    }
    return out.sort((a, b) => a.start - b.start || a.code.localeCompare(b.code));
  }

  /**
   * The findings of every check on `object`: kept from the last computation for each check whose reads
   * are unchanged since, computed for the others.
   */
  private findingsOf(object: K8sObject, ctx: CheckContext, suppressions: () => Suppressions): readonly EngineDiagnostic[] {
    const cached = this.objectFindings.get(object);
    const usable = cached?.global === this.globalGeneration ? cached : undefined;
    if (usable && usable.reads !== CARRIED_OVER && !this.changedSince(usable.reads, usable.checkedAt)) return usable.findings;
    const checks = this.checksFor(object.kind);
    const perCheck: CheckFindings[] = [];
    const out: EngineDiagnostic[] = [];
    const allReads = new Set<string>();
    let ran = false;
    for (let i = 0; i < checks.length; i++) {
      let entry = usable?.perCheck[i];
      if (!entry || this.changedSince(entry.reads, usable!.checkedAt)) {
        this.counters.checksRun++;
        const code = checkName(checks[i]);
        this.counters.runsByCheck.set(code, (this.counters.runsByCheck.get(code) ?? 0) + 1);
        ran = true;
        entry = this.runCheck(checks[i], object, ctx, suppressions);
      }
      perCheck.push(entry);
      out.push(...entry.findings);
      for (const key of entry.reads) allReads.add(key);
    }
    // Kept findings are as valid now as fresh ones: nothing they read changed up to this revision.
    if (ran) this.counters.objectsChecked++;
    // A check run again to the same result (results without findings are shared) changes nothing.
    if (usable && usable.reads !== CARRIED_OVER && perCheck.every((entry, i) => entry === usable.perCheck[i])) {
      usable.checkedAt = this.revisionNumber;
      return usable.findings;
    }
    const reads = allReads.size === 0 ? NO_READS : allReads.has(readKeys.everything) ? EVERYTHING : [...allReads];
    this.objectFindings.set(object, { checkedAt: this.revisionNumber, global: this.globalGeneration, reads, perCheck, findings: out.length === 0 ? NO_FINDINGS : out });
    return out;
  }

  /** The context checks (and IDE features that share their derived data) read the workspace through. */
  checkContext(): CheckContext {
    const ws = this;
    this.context ??= {
      index: this.index,
      get options() {
        return ws.options;
      },
      memo: (key, compute) => this.memo(key, compute),
      memoByInputs: (key, inputs, compute) => this.memoByInputs(key, inputs, compute),
      untracked: (compute) => {
        const outer = this.trackReads(undefined);
        try {
          return compute();
        } finally {
          this.trackReads(outer);
        }
      },
      scalarSource: (object, path) => this.scalarSource(object, path),
      get applyUnits() {
        return ws.applyUnitsNow();
      },
    };
    return this.context;
  }

  private applyUnitsNow(): ApplyUnits {
    if (this.applyUnitsKept?.global !== this.globalGeneration) {
      this.applyUnitsKept = { global: this.globalGeneration, units: applyUnits({ kustomizations: kustomizationSources(this.files.values()) }) };
    }
    return this.applyUnitsKept.units;
  }

  /**
   * Memoizes derived data for the current revision (cleared whenever the workspace changes). What the
   * computation read is recorded with the value and counted as read by every later user.
   */
  memo<T>(key: string, compute: () => T): T {
    if (this.memoRevision !== this.revisionNumber) {
      this.memos.clear();
      this.memoRevision = this.revisionNumber;
    }
    const hit = this.memos.get(key);
    if (hit) {
      this.memos.delete(key);
      this.memos.set(key, hit);
      this.noteReads(hit.reads);
      return hit.value as T;
    }
    const { value, reads } = this.computeTracked(compute);
    this.memos.set(key, { value, reads });
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
      this.noteReads(hit.reads);
      return hit.value as T;
    }
    this.counters.keptValuesComputed++;
    const { value, reads } = this.computeTracked(compute);
    this.kept.set(key, { inputs, value, reads });
    while (this.kept.size > KEPT_CAPACITY) this.kept.delete(this.kept.keys().next().value as string);
    return value;
  }

  /** Runs `compute` with its own read log, then counts what it read as read by the caller too. */
  private computeTracked<T>(compute: () => T): { value: T; reads: readonly string[] } {
    const log = new Set<string>();
    const outer = this.trackReads(log);
    try {
      const value = compute();
      return { value, reads: this.intern(log) };
    } finally {
      this.trackReads(outer);
      this.noteReads(log);
    }
  }

  /** Directs the index's read records to `log`; returns the previous log. */
  private trackReads(log: Set<string> | undefined): Set<string> | undefined {
    const outer = this.readLog;
    this.readLog = log;
    this.index.trackReads(log);
    return outer;
  }

  private noteReads(reads: Iterable<string>): void {
    const log = this.readLog;
    if (log) for (const key of reads) log.add(key);
  }

  /**
   * Records that the edit being applied changed something under `key`, if any file's cached checks
   * read it: a key nobody read can invalidate nothing (a changed file keeps its keys until its
   * diagnostics are computed again, for the results carried over to its new objects).
   */
  private markChanged(key: string): void {
    if (!this.readers.has(key)) return;
    this.changedAt.set(key, this.revisionNumber);
    this.changedNow.add(key);
  }

  /** Records the keys a file's cached diagnostics read, so that `apply` finds the files an edit reaches. */
  private noteFileReads(uri: string, keys: ReadonlySet<string>): void {
    const known = this.fileReads.get(uri);
    if (known && known.length === keys.size && known.every((key) => keys.has(key))) return;
    this.forgetFileReads(uri);
    const list = keys.has(readKeys.everything) ? EVERYTHING : [...keys];
    this.fileReads.set(uri, list);
    for (const key of list) {
      const files = this.readers.get(key);
      if (files === undefined) this.readers.set(key, uri);
      else if (typeof files === 'string') this.readers.set(key, new Set([files, uri]));
      else files.add(uri);
    }
  }

  private forgetFileReads(uri: string): void {
    for (const key of this.fileReads.get(uri) ?? []) {
      const files = this.readers.get(key);
      if (files === uri) this.readers.delete(key);
      else if (typeof files !== 'string' && files?.delete(uri) && files.size === 0) this.readers.delete(key);
    }
    this.fileReads.delete(uri);
  }

  /** True when an edit after revision `since` changed something under one of `reads`. */
  private changedSince(reads: readonly string[], since: number): boolean {
    for (const key of reads) if ((this.changedAt.get(key) ?? 0) > since) return true;
    return false;
  }

  /**
   * One shared array per distinct set of read keys (`everything` subsumes the rest): most checks of
   * most objects read the same few. Sharing saves memory only: the table starts over when it grows
   * large (names that came and went).
   */
  private intern(reads: ReadonlySet<string>): readonly string[] {
    if (reads.size === 0) return NO_READS;
    if (reads.has(readKeys.everything)) return EVERYTHING;
    const keys = [...reads];
    if (keys.length > 1) keys.sort();
    // A single key is its own id; a set's id starts with its size, which no key does (`readKeys`).
    const id = keys.length === 1 ? keys[0] : `${keys.length}\n${keys.join('\n')}`;
    let shared = this.internedReads.get(id);
    if (!shared) {
      if (this.internedReads.size >= INTERNED_READS_CAPACITY) this.internedReads.clear();
      this.internedReads.set(id, (shared = keys));
    }
    return shared;
  }

  /** The checks that run on objects of `kind`, in registry order. */
  private checksFor(kind: string): readonly Check[] {
    let checks = this.checksByKind.get(kind);
    if (!checks) this.checksByKind.set(kind, (checks = CHECKS.filter((c) => !c.kinds || c.kinds.includes(kind))));
    return checks;
  }

  /** Runs one check on one object, recording what it read; findings get ranges, severities and suppressions. */
  private runCheck(check: Check, object: K8sObject, ctx: CheckContext, suppressions: () => Suppressions): CheckFindings {
    const reads = new Set<string>();
    const findings: EngineDiagnostic[] = [];
    const report = (f: FindingInput) => {
      const severity = this.options.severities[f.code] ?? f.severity ?? check.codes[f.code] ?? 'warning';
      if (severity === 'off') return;
      if (isIgnoredByAnnotation(object, f.code)) return;
      const span = this.locate({ object, path: f.path ?? ['metadata', 'name'], target: f.target });
      const line = this.lineIndex(object.uri).position(span.start).line;
      if (isSuppressed(suppressions(), line, f.code)) return;
      findings.push({
        ...span,
        severity,
        code: f.code,
        message: f.message,
        related: (f.related ?? []).map((r) => ({ ...this.locate(r), message: r.message })),
        fixes: (f.fixes ?? []).map((fix) => this.resolveFix(fix)),
      });
    };
    const outer = this.trackReads(reads);
    try {
      check.run(object, ctx, report);
    } catch (err) {
      // A throwing check is an engine bug: it must not hide the other checks' findings. Whatever it
      // read before throwing is not all it depends on.
      reads.add(readKeys.everything);
      report({
        code: 'internal-error',
        severity: 'hint',
        message: `Kubeglass internal error in a check (${Object.keys(check.codes).join(', ')}): ${(err as Error).message}`,
      });
    } finally {
      this.trackReads(outer);
    }
    const interned = this.intern(reads);
    if (findings.length > 0) return { reads: interned, findings };
    // Most checks find nothing: one shared result per set of reads.
    let empty = this.emptyResults.get(interned);
    if (!empty) this.emptyResults.set(interned, (empty = { reads: interned, findings: NO_FINDINGS }));
    return empty;
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

interface CheckFindings {
  readonly reads: readonly string[];
  readonly findings: readonly EngineDiagnostic[];
}

interface ObjectFindings {
  /** The revision at which every entry of `perCheck` was last known valid (moved on when all are kept). */
  checkedAt: number;
  readonly global: number;
  /** Every key the checks read, and every finding, in check order. */
  readonly reads: readonly string[];
  readonly findings: readonly EngineDiagnostic[];
  /** Undefined for a check whose result was not carried over (see `carryOver`). */
  readonly perCheck: readonly (CheckFindings | undefined)[];
}

const NO_FINDINGS: readonly EngineDiagnostic[] = [];
const NO_READS: readonly string[] = [];
const EVERYTHING: readonly string[] = [readKeys.everything];
/**
 * The reads of an entry carried over from an edited file (`carryOver`), which sends each check
 * through its own reads in `findingsOf` (some have no result yet) until the entry is rebuilt with
 * their union.
 */
const CARRIED_OVER: readonly string[] = [readKeys.everything];

/** A check's first code names it in the work counters. */
function checkName(check: Check): string {
  let name = checkNames.get(check);
  if (name === undefined) checkNames.set(check, (name = Object.keys(check.codes)[0] ?? ''));
  return name;
}

const checkNames = new WeakMap<Check, string>();

function isIgnoredByAnnotation(object: K8sObject, code: string): boolean {
  const value = object.annotations['kubeglass.io/ignore'];
  if (!value) return false;
  return value.split(',').some((c) => c.trim() === code || c.trim() === 'all');
}
