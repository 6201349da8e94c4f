// Diagnostic: selector-template-mismatch
//
// Kubernetes rule (spec a.5, c.1; batch validation): a controller's selector must select the Pods
// its own template creates, and the API server rejects the object otherwise:
//   - Deployment, ReplicaSet, StatefulSet (apps/v1): `spec.selector` is required
//     (`spec.selector: Required value`) and may not be empty (`... empty selector is invalid for
//     deployment` — ReplicaSet shares that text — `... for statefulset`); a non-empty selector must
//     match `spec.template.metadata.labels`
//     (`` spec.template.metadata.labels: Invalid value: {...}: `selector` does not match template `labels` ``).
//   - DaemonSet: no required check, but an absent selector selects nothing and so fails the match;
//     `{}` is `empty selector is invalid for daemonset`.
//   - ReplicationController: an absent or empty selector defaults to the template labels; a given
//     one must match them; if both are empty, `spec.selector: Required value`.
//   - Job: unless `spec.manualSelector: true`, the API server generates the selector
//     (`batch.kubernetes.io/controller-uid=<uid>`) and adds `job-name`, `batch.kubernetes.io/job-name`
//     and the controller-uid labels to the template. A user-written selector must then match only
//     those labels (`` spec.selector: Invalid value: ...: `selector` not auto-generated ``), and
//     template labels `job-name` / `batch.kubernetes.io/job-name` must equal the Job's name
//     (`spec.template.metadata.labels[job-name]: Invalid value: ...: must be '<name>'`). With
//     `manualSelector: true` the selector is required and must match the template labels.
//   - CronJob: `spec.jobTemplate.spec.selector` must not be set (`` `selector` will be
//     auto-generated ``), and `manualSelector: true` is `Unsupported value`.
//   - Every LabelSelector is validated (spec a.3: label key/value formats, operators, values).
// Messages start with the API server's exact text, then say what Kubeglass found. Values that
// only exist on the server (a Job's uid) print as `<uid>`. Where one mistake makes the API server
// list several errors (a missing apps/v1 selector is also a template mismatch; an unparsable
// selector is also `invalid label selector`), the cause is reported once.
//
// Fragments that are not whole objects (kustomize patches: no pod template, or another object of
// the same kind and name in the workspace carries the selector) are not reported as missing one.
// Quick fix: add (or correct) the template labels the selector requires; for a missing selector,
// add one built from the template labels.
import type { Check, CheckContext, Fix, FindingInput, RelatedPlace } from './types';
import { getPath, isRecord, stringMap, type K8sObject, type Labels } from '../model/object';
import type { FieldPath } from '../syntax/parse';
import { goJson, goQuote } from '../labels/field-error';
import {
  labelSelectorFieldErrors,
  matches,
  requirementMatches,
  requirementToString,
  selectorFromLabelSelector,
  selectorFromMap,
  type Requirement,
  type Selector,
} from '../labels/selector';
import { fieldErrorText } from '../labels/field-error';
import { kustomizeLabels, looksLikePatch, yamlScalarText } from './pod-selection';

type Report = (finding: FindingInput) => void;

export const selectorTemplateMismatch: Check = {
  codes: { 'selector-template-mismatch': 'error' },
  kinds: ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'Job', 'CronJob'],
  run(object, ctx, report) {
    const spec = object.raw.spec;
    if (!isRecord(spec)) return;
    switch (object.kind) {
      case 'Job':
        return checkJob(object, spec, ctx, report);
      case 'CronJob':
        return checkCronJob(object, spec, report);
      case 'ReplicationController':
        return checkReplicationController(object, spec, ctx, report);
      default:
        return checkAppsController(object, spec, ctx, report);
    }
  },
};

const CODE = 'selector-template-mismatch';

/** The word upstream puts into "empty selector is invalid for <word>". */
const EMPTY_SELECTOR_WORD: Readonly<Record<string, string>> = {
  Deployment: 'deployment',
  ReplicaSet: 'deployment',
  StatefulSet: 'statefulset',
  DaemonSet: 'daemonset',
};

function checkAppsController(object: K8sObject, spec: Record<string, unknown>, ctx: CheckContext, report: Report): void {
  if (!isRecord(spec.template)) return;
  const raw = spec.selector;
  const kz = kustomizeLabels(ctx, object.uri);
  const common = kz.selectorsAndTemplates;
  const written = templateLabels(spec);
  const labels: Labels = { ...written, ...kz.templatesOnly, ...common };
  if (raw === undefined || raw === null) {
    // Pre-apps/v1 versions defaulted the selector from the template labels; kustomize
    // `commonLabels` creates one.
    if (!requiresSelector(object.apiVersion) || Object.keys(common).length > 0 || isFragment(object, ctx)) return;
    if (object.kind === 'DaemonSet') {
      report({
        code: CODE,
        message: `${mismatchText(labels)}: spec.selector is missing, and a DaemonSet without a selector selects no pods`,
        path: labelsPlace(object),
        fixes: addSelectorFixes(object, written),
      });
      return;
    }
    report({
      code: CODE,
      message: `spec.selector: Required value: apps/v1 ${object.kind}s have no default selector; the template has labels ${labelsText(labels)}`,
      path: ['spec'],
      fixes: addSelectorFixes(object, written),
    });
    return;
  }
  if (!isRecord(raw)) return;
  if (reportSelectorErrors(raw, ['spec', 'selector'], 'spec.selector', report)) return;
  const effective = withMatchLabels(raw, common);
  if (isEmptyLabelSelector(effective)) {
    report({
      code: CODE,
      message: `spec.selector: Invalid value: ${labelSelectorJson(effective)}: empty selector is invalid for ${EMPTY_SELECTOR_WORD[object.kind]}`,
      path: ['spec', 'selector'],
      fixes: addSelectorFixes(object, written, ['spec', 'selector']),
    });
    return;
  }
  reportMismatch(object, selectorFromLabelSelector(effective).selector, written, labels, report);
}

function checkReplicationController(object: K8sObject, spec: Record<string, unknown>, ctx: CheckContext, report: Report): void {
  if (!isRecord(spec.template)) return;
  const kz = kustomizeLabels(ctx, object.uri);
  const written = templateLabels(spec);
  const labels: Labels = { ...written, ...kz.templatesOnly, ...kz.selectorsAndTemplates };
  const map = { ...(isRecord(spec.selector) ? stringMap(spec.selector) : {}), ...kz.selectorsAndTemplates };
  if (Object.keys(map).length === 0) {
    // Defaulted from the template labels; nothing to select by when those are empty too.
    if (Object.keys(labels).length === 0 && !isFragment(object, ctx)) {
      report({ code: CODE, message: 'spec.selector: Required value: neither spec.selector nor the template labels are set, so the selector defaults to nothing', path: ['spec'] });
    }
    return;
  }
  reportMismatch(object, selectorFromMap(map), written, labels, report);
}

function checkJob(object: K8sObject, spec: Record<string, unknown>, ctx: CheckContext, report: Report): void {
  if (!isRecord(spec.template)) return;
  const kz = kustomizeLabels(ctx, object.uri);
  const written = templateLabels(spec);
  const labels: Labels = { ...written, ...kz.templatesOnly, ...kz.selectorsAndTemplates };
  // kustomize adds its labels to a Job selector only when one is written.
  const raw = isRecord(spec.selector) ? withMatchLabels(spec.selector, kz.selectorsAndTemplates) : spec.selector;
  if (spec.manualSelector === true) {
    if (raw === undefined || raw === null) {
      if (isFragment(object, ctx)) return;
      report({
        code: CODE,
        message: `spec.selector: Required value: spec.manualSelector is true, so the API server does not generate a selector; the template has labels ${labelsText(labels)}`,
        path: ['spec', 'manualSelector'],
        fixes: addSelectorFixes(object, written),
      });
      return;
    }
    if (!isRecord(raw) || reportSelectorErrors(raw, ['spec', 'selector'], 'spec.selector', report)) return;
    reportMismatch(object, selectorFromLabelSelector(raw).selector, written, labels, report);
    return;
  }

  // Generated selector: the template must carry the Job's own name in the job-name labels.
  for (const key of JOB_NAME_LABELS) {
    if (Object.hasOwn(labels, key) && labels[key] !== object.name) {
      report({
        code: CODE,
        message: `spec.template.metadata.labels[${key}]: Invalid value: ${goJson(labels)}: must be '${object.name}'; the API server sets this label to the Job's name unless spec.manualSelector is true`,
        path: [...labelsPlace(object), key],
        target: 'value',
        fixes: [{ title: `Set ${key} to ${object.name}`, preferred: true, edits: [{ kind: 'replace-value', place: { object, path: [...labelsPlace(object), key] }, text: yamlScalarText(object.name) }] }],
      });
    }
  }
  if (raw === undefined || raw === null || !isRecord(raw)) return;
  if (reportSelectorErrors(raw, ['spec', 'selector'], 'spec.selector', report)) return;
  const { selector } = selectorFromLabelSelector(raw);
  if (selector.kind === 'requirements' && selector.requirements.some((r) => UID_LABELS.has(r.key))) return;
  const generatedLabels: Labels = { 'job-name': object.name, 'batch.kubernetes.io/job-name': object.name };
  const augmented: Labels = { ...labels };
  for (const key of JOB_NAME_LABELS) if (!Object.hasOwn(augmented, key)) (augmented as Record<string, string>)[key] = object.name;
  for (const key of UID_LABELS) if (!Object.hasOwn(augmented, key)) (augmented as Record<string, string>)[key] = '<uid>';
  if (!matches(selector, generatedLabels)) {
    const fixes: Fix[] = matches(selector, labels)
      ? [{ title: 'Set spec.manualSelector: true (keep this selector)', preferred: true, edits: [{ kind: 'set-field', place: { object, path: ['spec'] }, key: 'manualSelector', text: 'true' }] }]
      : [];
    report({
      code: CODE,
      message: `spec.selector: Invalid value: ${readablePlaceholders(labelSelectorJson(withGeneratedUid(raw)))}: \`selector\` not auto-generated; without spec.manualSelector: true the API server generates the Job's selector, and a written one may only use the generated labels (controller-uid, job-name)`,
      path: ['spec', 'selector'],
      fixes,
    });
  }
  reportMismatch(object, selector, written, augmented, report);
}

function checkCronJob(object: K8sObject, spec: Record<string, unknown>, report: Report): void {
  const jobSpec = getPath(spec, ['jobTemplate', 'spec']);
  if (!isRecord(jobSpec)) return;
  const raw = jobSpec.selector;
  if (raw !== undefined && raw !== null) {
    report({
      code: CODE,
      message: `spec.jobTemplate.spec.selector: Invalid value: ${isRecord(raw) ? labelSelectorJson(raw) : goJson(raw)}: \`selector\` will be auto-generated; a CronJob's Jobs always get generated selectors`,
      path: ['spec', 'jobTemplate', 'spec', 'selector'],
    });
  }
  if (jobSpec.manualSelector === true) {
    report({
      code: CODE,
      message: 'spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"',
      path: ['spec', 'jobTemplate', 'spec', 'manualSelector'],
      target: 'value',
    });
  }
}

const JOB_NAME_LABELS = ['batch.kubernetes.io/job-name', 'job-name'];
const UID_LABELS = new Set(['batch.kubernetes.io/controller-uid', 'controller-uid']);

// ---------------------------------------------------------------------------------------------

/**
 * Reports the template-label mismatch when `selector` does not select `podLabels`: the labels the
 * API server compares and prints (`labels` plus what it generates, for Jobs); `labels` are the
 * ones written in the template. EVERYTHING skips the check, as upstream's `selector.Empty()`
 * does; NOTHING never matches.
 */
function reportMismatch(object: K8sObject, selector: Selector, labels: Labels, podLabels: Labels, report: Report): void {
  if (selector.kind === 'everything' || matches(selector, podLabels)) return;
  const related: RelatedPlace[] = [{ object, path: selectorPlace(object), message: `the selector of ${object.kind} ${object.name}` }];
  report({
    code: CODE,
    message: `${mismatchText(podLabels)}; ${failedText(selector, podLabels)}`,
    path: labelsPlace(object),
    related,
    fixes: addLabelFixes(object, selector, labels, podLabels),
  });
}

function mismatchText(labels: Labels): string {
  const value = Object.keys(labels).length === 0 ? 'null' : readablePlaceholders(goJson(labels));
  return `spec.template.metadata.labels: Invalid value: ${value}: \`selector\` does not match template \`labels\``;
}

/** Our `<uid>` placeholder as written, not HTML-escaped the way JSON rendering escapes real values. */
function readablePlaceholders(json: string): string {
  return json.replaceAll('\\u003cuid\\u003e', '<uid>');
}

/** "the selector requires app=api, but the template has app=web" for every failed requirement. */
function failedText(selector: Selector, labels: Labels): string {
  if (selector.kind !== 'requirements') return 'the selector selects nothing';
  const failed = selector.requirements.filter((r) => !requirementMatches(r, labels));
  const texts = failed.map((r) => {
    const has = Object.hasOwn(labels, r.key) ? `has ${r.key}=${labels[r.key]}` : `has no label ${r.key}`;
    return `the selector requires ${requirementToString(r)}, but the template ${has}`;
  });
  return texts.join('; ');
}

/** Fix: give the template the labels the selector's equality requirements ask for. */
function addLabelFixes(object: K8sObject, selector: Selector, labels: Labels, podLabels: Labels): Fix[] {
  if (selector.kind !== 'requirements') return [];
  const failed = selector.requirements.filter((r) => !requirementMatches(r, podLabels));
  const wanted = new Map<string, string>();
  for (const r of failed) {
    const value = equalityValue(r);
    if (value === undefined || (wanted.has(r.key) && wanted.get(r.key) !== value)) return [];
    wanted.set(r.key, value);
  }
  if (wanted.size === 0) return [];
  const path = labelsPlace(object);
  const hasLabels = isRecord(getPath(object.raw, path));
  const edits: Fix['edits'][number][] = [];
  const additions: string[] = [];
  for (const [key, value] of [...wanted].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (Object.hasOwn(labels, key)) {
      edits.push({ kind: 'replace-value', place: { object, path: [...path, key] }, text: yamlScalarText(value) });
    } else {
      additions.push(`${yamlScalarText(key)}: ${yamlScalarText(value)}`);
    }
  }
  if (additions.length > 0) {
    if (hasLabels) {
      for (const entry of additions) {
        const colon = entry.indexOf(': ');
        edits.push({ kind: 'set-field', place: { object, path }, key: entry.slice(0, colon), text: entry.slice(colon + 2) });
      }
    } else if (isRecord(getPath(object.raw, path.slice(0, -1)))) {
      edits.push({ kind: 'set-field', place: { object, path: path.slice(0, -1) }, key: 'labels', text: `{${additions.join(', ')}}` });
    } else {
      edits.push({ kind: 'set-field', place: { object, path: path.slice(0, -2) }, key: 'metadata', text: `{labels: {${additions.join(', ')}}}` });
    }
  }
  const onlyAdds = edits.every((e) => e.kind === 'set-field');
  const text = [...wanted].map(([k, v]) => `${k}=${v}`).join(', ');
  return [{ title: `${onlyAdds ? 'Add' : 'Set'} template label${wanted.size > 1 ? 's' : ''} ${text}`, preferred: onlyAdds, edits }];
}

/** The single value an equality-like requirement asks for (`=`, `==`, `in` with one value). */
function equalityValue(r: Requirement): string | undefined {
  if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
  return undefined;
}

/** Fix: a selector with `matchLabels` equal to the template labels (at `spec.selector` or replacing `{}`). */
function addSelectorFixes(object: K8sObject, labels: Labels, at: FieldPath = ['spec', 'selector']): Fix[] {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return [];
  const current = getPath(object.raw, at);
  const matchLabels = isRecord(current) ? current.matchLabels : undefined;
  // An explicit `null` (selector or matchLabels) would be duplicated by an inserted key.
  if (current === null || (isRecord(current) && Object.hasOwn(current, 'matchLabels') && !isRecord(matchLabels))) return [];
  const edits: Fix['edits'][number][] = isRecord(matchLabels)
    ? keys.map((k) => ({ kind: 'set-field' as const, place: { object, path: [...at, 'matchLabels'] }, key: yamlScalarText(k), text: yamlScalarText(labels[k]) }))
    : [{ kind: 'set-field', place: { object, path: at }, key: 'matchLabels', text: `{${keys.map((k) => `${yamlScalarText(k)}: ${yamlScalarText(labels[k])}`).join(', ')}}` }];
  return [{ title: `Select the template labels (${keys.map((k) => `${k}=${labels[k]}`).join(', ')})`, preferred: true, edits }];
}

/** Reports the API validation errors of a LabelSelector; true when there were any. */
function reportSelectorErrors(raw: Record<string, unknown>, path: FieldPath, fieldText: string, report: Report): boolean {
  // Shell-template placeholders (`${NAME}`) are values nobody knows yet: judge nothing.
  if (JSON.stringify(raw).includes('${')) return true;
  const errors = labelSelectorFieldErrors(raw, fieldText);
  for (const e of errors) {
    const located = locateFieldError(raw, path, fieldText, e.field, e.badValue?.value);
    report({ code: CODE, message: fieldErrorText(e), path: located.path, target: e.badValue === null ? 'key' : (located.target ?? 'value') });
  }
  return errors.length > 0;
}

/** The field path (and target) of a selector validation error given as API field text. */
function locateFieldError(raw: Record<string, unknown>, path: FieldPath, fieldText: string, field: string, bad: unknown): { path: FieldPath; target?: 'key' | 'value' } {
  const rest = field.slice(fieldText.length).replace(/^\./, '');
  const segs: (string | number)[] = [];
  for (const part of rest.split('.').filter((s) => s !== '')) {
    const m = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return { path };
    segs.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) segs.push(Number(idx[1]));
  }
  if (segs.length === 1 && segs[0] === 'matchLabels' && isRecord(raw.matchLabels)) {
    for (const [k, v] of Object.entries(raw.matchLabels)) {
      if (k === bad) return { path: [...path, 'matchLabels', k] };
      if (String(v ?? '') === bad) return { path: [...path, 'matchLabels', k], target: 'value' };
    }
  }
  return { path: [...path, ...segs] };
}

/** `metav1.LabelSelector` as the API server prints it: struct field order, empty fields omitted, map keys sorted. */
export function labelSelectorJson(raw: Record<string, unknown>): string {
  const parts: string[] = [];
  if (isRecord(raw.matchLabels) && Object.keys(raw.matchLabels).length > 0) parts.push(`"matchLabels":${goJson(stringMap(raw.matchLabels))}`);
  if (Array.isArray(raw.matchExpressions) && raw.matchExpressions.length > 0) {
    const items = raw.matchExpressions.map((e) => {
      const expr = isRecord(e) ? e : {};
      const fields = [`"key":${goQuote(String(expr.key ?? ''))}`, `"operator":${goQuote(String(expr.operator ?? ''))}`];
      if (Array.isArray(expr.values) && expr.values.length > 0) fields.push(`"values":${goJson(expr.values.map((v) => String(v)))}`);
      return `{${fields.join(',')}}`;
    });
    parts.push(`"matchExpressions":[${items.join(',')}]`);
  }
  return `{${parts.join(',')}}`;
}

function withGeneratedUid(raw: Record<string, unknown>): Record<string, unknown> {
  const matchLabels = { ...(isRecord(raw.matchLabels) ? raw.matchLabels : {}) };
  if (!Object.hasOwn(matchLabels, 'batch.kubernetes.io/controller-uid')) matchLabels['batch.kubernetes.io/controller-uid'] = '<uid>';
  return { ...raw, matchLabels };
}

/** A LabelSelector with extra `matchLabels` merged in (kustomize labels), unchanged when there are none. */
function withMatchLabels(raw: Record<string, unknown>, extra: Labels): Record<string, unknown> {
  if (Object.keys(extra).length === 0) return raw;
  return { ...raw, matchLabels: { ...(isRecord(raw.matchLabels) ? raw.matchLabels : {}), ...extra } };
}

/**
 * A manifest that is a patch rather than a whole object (no pod template containers, listed as a
 * kustomize patch, or another object of that kind and name carries the selector): missing
 * selectors are not reported on it.
 */
function isFragment(object: K8sObject, ctx: CheckContext): boolean {
  const templatePath = object.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template'] : ['spec', 'template'];
  if (!Array.isArray(getPath(object.raw, [...templatePath, 'spec', 'containers']))) return true;
  return looksLikePatch(ctx.index, object, selectorPlace(object));
}

function isEmptyLabelSelector(raw: Record<string, unknown>): boolean {
  const labels = isRecord(raw.matchLabels) ? Object.keys(raw.matchLabels).length : 0;
  const exprs = Array.isArray(raw.matchExpressions) ? raw.matchExpressions.length : 0;
  return labels + exprs === 0;
}

function templateLabels(spec: Record<string, unknown>): Labels {
  return stringMap(getPath(spec, ['template', 'metadata', 'labels']));
}

/** Where the template labels are, for ranges and fixes. */
function labelsPlace(_object: K8sObject): FieldPath {
  return ['spec', 'template', 'metadata', 'labels'];
}

function selectorPlace(object: K8sObject): FieldPath {
  return object.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'selector'] : ['spec', 'selector'];
}

function labelsText(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? '(none)' : keys.map((k) => `${k}=${labels[k]}`).join(',');
}

/** apps/v1 and apps/v1beta2 require a selector; extensions/v1beta1 and apps/v1beta1 defaulted it. */
function requiresSelector(apiVersion: string): boolean {
  return apiVersion === 'apps/v1' || apiVersion === 'apps/v1beta2';
}
