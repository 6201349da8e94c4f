// The contract between the analysis and the checks. A check is a function over one object that reads
// the workspace through the index and reports findings at field paths; the analysis turns paths into
// ranges and applies severities and suppressions. Checks never see YAML nodes, offsets or LSP types.
import type { WorkspaceIndex } from '../index/workspace-index';
import type { K8sObject } from '../model/object';
import type { FieldPath } from '../syntax/parse';
import type { ApplyUnits } from '../model/apply-unit';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A place in the workspace: an object and a field path inside it (relative to the object). */
export interface Place {
  readonly object: K8sObject;
  readonly path: FieldPath;
  /** Point at the key of the field (default) or at its value. */
  readonly target?: 'key' | 'value';
}

export interface RelatedPlace extends Place {
  readonly message: string;
}

/** A text change a quick fix makes, addressed by field path so checks stay free of offsets. */
export type FixEdit =
  /** Replace the scalar value at `path` with `text` (a YAML scalar as it should be written). */
  | { readonly kind: 'replace-value'; readonly place: Place; readonly text: string }
  /** Add `key: text` to the mapping at `place.path` (created as needed, with matching indentation). */
  | { readonly kind: 'set-field'; readonly place: Place; readonly key: string; readonly text: string }
  /** Append a new YAML document to the object's file. */
  | { readonly kind: 'append-document'; readonly object: K8sObject; readonly text: string };

export interface Fix {
  readonly title: string;
  readonly edits: readonly FixEdit[];
  /** The preferred fix is offered first and applied by "auto fix". */
  readonly preferred?: boolean;
}

export interface FindingInput {
  readonly code: string;
  readonly message: string;
  /** Path inside the reporting object; defaults to the object's `metadata.name`. */
  readonly path?: FieldPath;
  readonly target?: 'key' | 'value';
  /** Overrides the check's default severity for this finding. */
  readonly severity?: Severity;
  readonly related?: readonly RelatedPlace[];
  readonly fixes?: readonly Fix[];
}

export interface CheckOptions {
  /** Namespace assumed for objects that name none. */
  readonly defaultNamespace: string;
  /** Kubernetes version the schema and removed-API checks use, e.g. "1.34". */
  readonly kubernetesVersion: string;
}

export interface CheckContext {
  readonly index: WorkspaceIndex;
  readonly options: CheckOptions;
  /**
   * Derived data shared by checks (e.g. a namespace's NetworkPolicy model), computed once per
   * workspace revision and key. `key` must name everything the value depends on besides the workspace.
   */
  memo<T>(key: string, compute: () => T): T;
  /**
   * Derived data kept across revisions while its inputs stay the same: `compute` runs only when
   * `inputs` differ (element by element, `===`) from those the kept value was computed from. For
   * costly values whose inputs are cheap to list as strings (a NetworkPolicy model: what each object
   * contributes to it). `key` must name everything else the value depends on; the inputs everything
   * in the workspace.
   */
  memoByInputs<T>(key: string, inputs: readonly string[], compute: () => T): T;
  /**
   * Runs `compute` without counting what it reads as read by the calling check. Only for a check
   * that then reads, through the index, everything its result takes from what `compute` returned
   * (see `policyModelForPods`): its findings are kept until one of those reads changes.
   */
  untracked<T>(compute: () => T): T;
  /**
   * The text of the scalar at `path` (relative to the object) exactly as written, quotes included,
   * re-read from the file's parse tree on demand; undefined when the path is not in the source.
   * Costly compared to reading `raw`: for the few values a check has already singled out.
   */
  scalarSource?(object: K8sObject, path: FieldPath): string | undefined;
  /** Which files are applied together (kustomizations with or without apiVersion/kind), per revision. */
  readonly applyUnits: ApplyUnits;
}

export interface Check {
  /** The codes this check reports, each with its default severity. */
  readonly codes: Readonly<Record<string, Severity>>;
  /** Object kinds the check runs on; every kind when absent. */
  readonly kinds?: readonly string[];
  run(object: K8sObject, ctx: CheckContext, report: (finding: FindingInput) => void): void;
}
