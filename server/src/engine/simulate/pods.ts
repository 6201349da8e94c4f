// Simulated pods: the pods a cluster with the given profile would run for a set of manifests.
//
// Owns the expansion of workloads into pods (spec semantics.md (c)):
// - Pod: taken as is (its `spec.nodeName`, `status.podIP(s)`, conditions and
//   `deletionTimestamp` are kept);
// - Deployment -> ReplicaSet `<deployment>-<pod-template-hash>` -> pods `<rs>-<5 chars>`, with
//   the `pod-template-hash` label on both;
// - ReplicaSet, ReplicationController -> pods `<name>-<5 chars>`;
// - StatefulSet -> pods `<name>-<ordinal>` for ordinals `spec.ordinals.start` (default 0) up to
//   start + replicas - 1, hostname = pod name, subdomain = `spec.serviceName`, labels
//   `statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index` and
//   `controller-revision-hash: <name>-<hash>`;
// - DaemonSet -> one pod per eligible node (nodeSelector, required node affinity, taints
//   against the pod's tolerations plus the ones the DaemonSet controller adds), labels
//   `controller-revision-hash` and `pod-template-generation: "1"`;
// - Job -> min(parallelism, completions) running pods (`suspend` -> none), `<job>-<5 chars>`
//   (Indexed: `<job>-<index>-<5 chars>` with hostname `<job>-<index>` and the completion-index
//   label), labels `batch.kubernetes.io/job-name`, `job-name`,
//   `batch.kubernetes.io/controller-uid`, `controller-uid`;
// - CronJob -> one running Job from `spec.jobTemplate` (none when suspended), named
//   `<cronjob>-<n>`: upstream `n` is the scheduled time in minutes since the epoch; without a
//   clock Kubeglass uses a number derived from the CronJob's name, stable across runs.
// `replicas` defaults to 1; 0 gives no pods. Objects whose children are already in the input
// (a dump of a live cluster: a ReplicaSet owned by the Deployment, pods owned by the
// StatefulSet, ...) generate none, so nothing is counted twice.
// Simulated, not reproduced: the `pod-template-hash` and revision hashes use FNV-1a over the
// template's canonical JSON (upstream hashes Go's debug print of the defaulted struct), and
// the random 5-character name suffixes are derived from the pod's owner and index. They have
// the upstream alphabet and length, and are stable under unrelated edits.
// Placement: sim-placement.ts; addresses: sim-pod-ips.ts (stable, from each node's pod CIDR).
// Readiness: ready unless the object says otherwise (a `Ready` condition that is not "True",
// a phase other than Running, or no node); simulated pods are Running and Ready.
// Invariants: pure; never throws on malformed objects (they are skipped or reported); output
// sorted by (namespace, name); each pod keeps a reference to the workload and template it
// comes from.

import type { V1Job, V1OwnerReference, V1Pod, V1PodCondition, V1PodSpec, V1ReplicaSet } from '../model/k8s-types';
import { groupOf, type ObjectRef } from '../model/ref';
import { POD_TEMPLATE_PATHS } from '../model/kinds';
import type { ClusterProfile, ProfileNode } from './profile';
import type { SimProblem } from './sim-problem';
import { compareProblems } from './sim-problem';
import { fakeUid, fnv32a, nameSuffix, templateHash } from './sim-hash';
import { eligibleNodes, spreadNode } from './sim-placement';
import { allocatePodIPs } from './sim-pod-ips';
import { cidrContains, parseCIDR, parseIP } from './sim-ip';
import { isRecord } from '../model/object';

export interface SimulatePodsOptions {
  readonly profile: ClusterProfile;
  /** Namespace of objects that declare none (the `kubeglass.defaultNamespace` setting). */
  readonly defaultNamespace?: string;
}

export interface PodOwner {
  /** The input object the pod comes from (the Deployment, not the ReplicaSet it creates). */
  readonly workload: ObjectRef;
  /** Path of the pod template inside the workload; [] for a Pod. */
  readonly templatePath: readonly string[];
  /** The controller Kubeglass generated between workload and pod (ReplicaSet, Job), if any. */
  readonly controller?: ObjectRef;
}

export interface SimPod {
  readonly ref: ObjectRef;
  /** The pod as the API would return it: metadata, spec and a filled-in status. */
  readonly pod: V1Pod;
  readonly origin: 'workspace' | 'simulated';
  readonly owner: PodOwner;
  readonly nodeName: string | undefined;
  readonly podIPs: readonly string[];
  readonly ready: boolean;
  readonly terminating: boolean;
}

export interface SimulatedPods {
  readonly pods: readonly SimPod[];
  /** ReplicaSets the simulated Deployments create. */
  readonly replicaSets: readonly V1ReplicaSet[];
  /** Jobs the simulated CronJobs create. */
  readonly jobs: readonly V1Job[];
  readonly problems: readonly SimProblem[];
}

export const LABEL_POD_TEMPLATE_HASH = 'pod-template-hash';
export const LABEL_STS_POD_NAME = 'statefulset.kubernetes.io/pod-name';
export const LABEL_POD_INDEX = 'apps.kubernetes.io/pod-index';
export const LABEL_REVISION_HASH = 'controller-revision-hash';
export const LABEL_TEMPLATE_GENERATION = 'pod-template-generation';
export const LABEL_JOB_NAME = 'batch.kubernetes.io/job-name';
export const LABEL_JOB_NAME_LEGACY = 'job-name';
export const LABEL_CONTROLLER_UID = 'batch.kubernetes.io/controller-uid';
export const LABEL_CONTROLLER_UID_LEGACY = 'controller-uid';
export const LABEL_JOB_COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

/** One pod to be: name, template and where it comes from, before placement and addressing. */
interface PodIntent {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly spec: V1PodSpec;
  readonly owner: PodOwner;
  readonly ownerReference?: V1OwnerReference;
  /** Seed of the spread offset, shared by the pods of one workload. */
  readonly spreadKey: string;
  readonly index: number;
  /** DaemonSet pods are bound to their node. */
  readonly fixedNode?: string;
  /** The input Pod object, for workspace pods. */
  readonly raw?: Record<string, unknown>;
}

interface Input {
  readonly raw: Record<string, unknown>;
  readonly ref: ObjectRef;
}

/** Expands the workloads among `objects` into pods, placed and addressed (see the header). */
export function simulatePods(objects: readonly unknown[], options: SimulatePodsOptions): SimulatedPods {
  const ctx: Context = {
    profile: options.profile,
    defaultNamespace: options.defaultNamespace ?? 'default',
    problems: [],
    intents: [],
    replicaSets: [],
    jobs: [],
    unschedulable: new Map(),
  };
  const inputs = objects.flatMap((o) => readInput(o, ctx.defaultNamespace));
  const owned = ownersWithChildren(inputs);
  for (const input of inputs) {
    if (input.ref.kind !== 'Pod' && owned.has(ownerKey(input.ref.kind, input.ref.namespace, input.ref.name))) continue;
    expand(input, ctx);
  }
  return finish(ctx);
}

interface Context {
  readonly profile: ClusterProfile;
  readonly defaultNamespace: string;
  readonly problems: SimProblem[];
  readonly intents: PodIntent[];
  readonly replicaSets: V1ReplicaSet[];
  readonly jobs: V1Job[];
  /** Workload key -> why its pods cannot be placed (reported once per workload). */
  readonly unschedulable: Map<string, { object: ObjectRef; message: string }>;
}

function readInput(o: unknown, defaultNamespace: string): Input[] {
  if (!isRecord(o) || typeof o.kind !== 'string') return [];
  const metadata = isRecord(o.metadata) ? o.metadata : {};
  if (typeof metadata.name !== 'string' || metadata.name === '') return [];
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : defaultNamespace;
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const ref: ObjectRef = { kind: o.kind, group: groupOf(apiVersion), namespace, name: metadata.name };
  return [{ raw: o, ref }];
}

/** `metadata.uid`, or a stable made-up one. */
function uidOf(input: Input): string {
  const uid = isRecord(input.raw.metadata) ? input.raw.metadata.uid : undefined;
  return typeof uid === 'string' && uid !== '' ? uid : fakeUid(`${input.ref.kind}/${input.ref.namespace}/${input.ref.name}`);
}

/** Kind/namespace/name of every owner that some input object names as its controller. */
function ownersWithChildren(inputs: readonly Input[]): Set<string> {
  const out = new Set<string>();
  for (const input of inputs) {
    const refs = isRecord(input.raw.metadata) ? input.raw.metadata.ownerReferences : undefined;
    if (!Array.isArray(refs)) continue;
    for (const r of refs) {
      if (isRecord(r) && typeof r.kind === 'string' && typeof r.name === 'string') out.add(ownerKey(r.kind, input.ref.namespace, r.name));
    }
  }
  return out;
}

function ownerKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

function expand(input: Input, ctx: Context): void {
  switch (input.ref.kind) {
    case 'Pod':
      return expandPod(input, ctx);
    case 'Deployment':
      return expandDeployment(input, ctx);
    case 'ReplicaSet':
    case 'ReplicationController':
      return expandReplicated(input, ctx);
    case 'StatefulSet':
      return expandStatefulSet(input, ctx);
    case 'DaemonSet':
      return expandDaemonSet(input, ctx);
    case 'Job':
      return expandJob(input, ctx, input.raw, { workload: input.ref, templatePath: POD_TEMPLATE_PATHS.Job }, input.ref, uidOf(input));
    case 'CronJob':
      return expandCronJob(input, ctx);
  }
}

function expandPod(input: Input, ctx: Context): void {
  const metadata = isRecord(input.raw.metadata) ? input.raw.metadata : {};
  ctx.intents.push({
    namespace: input.ref.namespace,
    name: input.ref.name,
    labels: stringMap(metadata.labels),
    annotations: stringMap(metadata.annotations),
    spec: (isRecord(input.raw.spec) ? input.raw.spec : {}) as unknown as V1PodSpec,
    owner: { workload: input.ref, templatePath: [] },
    spreadKey: `${input.ref.namespace}/${input.ref.name}`,
    index: 0,
    raw: input.raw,
  });
}

function expandDeployment(input: Input, ctx: Context): void {
  const t = templateOf(input, ctx);
  const replicas = replicasOf(input, ctx, 'spec.replicas', getPath(input.raw, ['spec', 'replicas']), 1);
  if (t === undefined || replicas === undefined) return;
  const hash = templateHash(canonicalJson(t.raw));
  const rsName = `${input.ref.name}-${hash}`;
  const rsRef: ObjectRef = { kind: 'ReplicaSet', group: 'apps', namespace: input.ref.namespace, name: rsName };
  const rsUid = fakeUid(`ReplicaSet/${input.ref.namespace}/${rsName}`);
  const labels = { ...t.labels, [LABEL_POD_TEMPLATE_HASH]: hash };
  const selector = getPath(input.raw, ['spec', 'selector']);
  ctx.replicaSets.push({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: rsName,
      namespace: input.ref.namespace,
      uid: rsUid,
      labels: sortedRecord(labels),
      ownerReferences: [controllerRef(input)],
    },
    spec: {
      replicas,
      selector: {
        ...(isRecord(selector) ? selector : {}),
        matchLabels: { ...(isRecord(selector) ? stringMap(selector.matchLabels) : {}), [LABEL_POD_TEMPLATE_HASH]: hash },
      },
      template: { metadata: { labels: sortedRecord(labels), annotations: t.annotations }, spec: t.spec },
    },
  } as V1ReplicaSet);
  const owner: PodOwner = { workload: input.ref, templatePath: t.path, controller: rsRef };
  const ownerReference = ownerRefTo('apps/v1', 'ReplicaSet', rsName, rsUid);
  suffixedNames(`${rsName}-`, `${input.ref.namespace}/${rsName}`, replicas).forEach((name, index) => {
    ctx.intents.push({ namespace: input.ref.namespace, name, labels, annotations: t.annotations, spec: t.spec, owner, ownerReference, spreadKey: spreadKeyOf(input), index });
  });
}

function expandReplicated(input: Input, ctx: Context): void {
  const t = templateOf(input, ctx);
  const replicas = replicasOf(input, ctx, 'spec.replicas', getPath(input.raw, ['spec', 'replicas']), 1);
  if (t === undefined || replicas === undefined) return;
  const owner: PodOwner = { workload: input.ref, templatePath: t.path };
  suffixedNames(`${input.ref.name}-`, `${input.ref.namespace}/${input.ref.name}`, replicas).forEach((name, index) => {
    ctx.intents.push({ namespace: input.ref.namespace, name, labels: t.labels, annotations: t.annotations, spec: t.spec, owner, ownerReference: controllerRef(input), spreadKey: spreadKeyOf(input), index });
  });
}

function expandStatefulSet(input: Input, ctx: Context): void {
  const t = templateOf(input, ctx);
  const replicas = replicasOf(input, ctx, 'spec.replicas', getPath(input.raw, ['spec', 'replicas']), 1);
  const start = replicasOf(input, ctx, 'spec.ordinals.start', getPath(input.raw, ['spec', 'ordinals', 'start']), 0);
  if (t === undefined || replicas === undefined || start === undefined) return;
  const serviceName = getPath(input.raw, ['spec', 'serviceName']);
  const revision = `${input.ref.name}-${templateHash(canonicalJson(t.raw))}`;
  const owner: PodOwner = { workload: input.ref, templatePath: t.path };
  for (let i = 0; i < replicas; i++) {
    const ordinal = start + i;
    const name = `${input.ref.name}-${ordinal}`;
    const spec: V1PodSpec = { ...t.spec, hostname: name };
    if (typeof serviceName === 'string' && serviceName !== '') spec.subdomain = serviceName;
    ctx.intents.push({
      namespace: input.ref.namespace,
      name,
      labels: { ...t.labels, [LABEL_POD_INDEX]: String(ordinal), [LABEL_REVISION_HASH]: revision, [LABEL_STS_POD_NAME]: name },
      annotations: t.annotations,
      spec,
      owner,
      ownerReference: controllerRef(input),
      spreadKey: spreadKeyOf(input),
      index: i,
    });
  }
}

function expandDaemonSet(input: Input, ctx: Context): void {
  const t = templateOf(input, ctx);
  if (t === undefined) return;
  const eligible = eligibleNodes(t.spec, ctx.profile.nodes, true);
  if (eligible.kind === 'none') {
    ctx.problems.push({ object: input.ref, message: `DaemonSet runs no pod: ${eligible.message}` });
    return;
  }
  const labels = { ...t.labels, [LABEL_REVISION_HASH]: templateHash(canonicalJson(t.raw)), [LABEL_TEMPLATE_GENERATION]: '1' };
  const owner: PodOwner = { workload: input.ref, templatePath: t.path };
  const taken = new Set<string>();
  eligible.nodes.forEach((node, index) => {
    const name = uniqueName(`${input.ref.name}-`, `${input.ref.namespace}/${input.ref.name}/${node.name}`, taken);
    ctx.intents.push({ namespace: input.ref.namespace, name, labels, annotations: t.annotations, spec: t.spec, owner, ownerReference: controllerRef(input), spreadKey: spreadKeyOf(input), index, fixedNode: node.name });
  });
}

function expandJob(
  input: Input, ctx: Context, job: Record<string, unknown>, ownerBase: PodOwner, jobRef: ObjectRef, jobUid: string,
): void {
  const t = templateAt(input, ctx, job, ['spec', 'template'], ownerBase.templatePath);
  if (t === undefined) return;
  if (getPath(job, ['spec', 'suspend']) === true) return;
  const parallelism = replicasOf(input, ctx, `${pathPrefix(ownerBase)}spec.parallelism`, getPath(job, ['spec', 'parallelism']), 1);
  const completionsRaw = getPath(job, ['spec', 'completions']);
  const completions = completionsRaw === undefined || completionsRaw === null
    ? parallelism
    : replicasOf(input, ctx, `${pathPrefix(ownerBase)}spec.completions`, completionsRaw, 1);
  if (parallelism === undefined || completions === undefined) return;
  const active = Math.min(parallelism, completions);
  const indexed = getPath(job, ['spec', 'completionMode']) === 'Indexed';
  const labels = {
    ...t.labels,
    [LABEL_CONTROLLER_UID]: jobUid,
    [LABEL_JOB_NAME]: jobRef.name,
    [LABEL_CONTROLLER_UID_LEGACY]: jobUid,
    [LABEL_JOB_NAME_LEGACY]: jobRef.name,
  };
  const ownerReference = ownerRefTo('batch/v1', 'Job', jobRef.name, jobUid);
  const taken = new Set<string>();
  for (let i = 0; i < active; i++) {
    const prefix = indexed ? `${jobRef.name}-${i}-` : `${jobRef.name}-`;
    const name = uniqueName(prefix, `${jobRef.namespace}/${jobRef.name}/${i}`, taken);
    const podLabels = indexed ? { ...labels, [LABEL_JOB_COMPLETION_INDEX]: String(i) } : labels;
    const annotations = indexed ? { ...t.annotations, [LABEL_JOB_COMPLETION_INDEX]: String(i) } : t.annotations;
    const spec: V1PodSpec = indexed ? { ...t.spec, hostname: `${jobRef.name}-${i}` } : t.spec;
    ctx.intents.push({ namespace: jobRef.namespace, name, labels: podLabels, annotations, spec, owner: ownerBase, ownerReference, spreadKey: `${jobRef.namespace}/${jobRef.name}`, index: i });
  }
}

function expandCronJob(input: Input, ctx: Context): void {
  if (getPath(input.raw, ['spec', 'suspend']) === true) return;
  const jobTemplate = getPath(input.raw, ['spec', 'jobTemplate']);
  if (!isRecord(jobTemplate)) {
    ctx.problems.push({ object: input.ref, field: 'spec.jobTemplate', message: 'CronJob has no job template; no Job is simulated' });
    return;
  }
  const minutes = 28_000_000 + (fnv32a(`${input.ref.namespace}/${input.ref.name}`) % 1_000_000);
  const jobName = `${input.ref.name}-${minutes}`;
  const jobRef: ObjectRef = { kind: 'Job', group: 'batch', namespace: input.ref.namespace, name: jobName };
  const jobUid = fakeUid(`Job/${input.ref.namespace}/${jobName}`);
  const jobMeta = isRecord(jobTemplate.metadata) ? jobTemplate.metadata : {};
  ctx.jobs.push({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName,
      namespace: input.ref.namespace,
      uid: jobUid,
      labels: stringMap(jobMeta.labels),
      annotations: stringMap(jobMeta.annotations),
      ownerReferences: [controllerRef(input)],
    },
    spec: isRecord(jobTemplate.spec) ? jobTemplate.spec : {},
  } as unknown as V1Job);
  const owner: PodOwner = { workload: input.ref, templatePath: POD_TEMPLATE_PATHS.CronJob, controller: jobRef };
  expandJob(input, ctx, jobTemplate, owner, jobRef, jobUid);
}

// ---------------------------------------------------------------------------------------
// Placement, addresses, pod objects.

function finish(ctx: Context): SimulatedPods {
  const { profile } = ctx;
  const byName = new Map<string, PodIntent>();
  for (const intent of [...ctx.intents].sort(workspaceFirst)) {
    const key = `${intent.namespace}/${intent.name}`;
    const existing = byName.get(key);
    if (existing !== undefined) {
      ctx.problems.push({ object: intent.owner.workload, message: `pod ${key} is also created by ${describeOwner(existing.owner)}; only one is simulated` });
      continue;
    }
    byName.set(key, intent);
  }
  const intents = [...byName.values()];
  const nodeOf = new Map<string, string | undefined>();
  for (const intent of intents) nodeOf.set(`${intent.namespace}/${intent.name}`, placeIntent(intent, ctx));
  for (const { object, message } of ctx.unschedulable.values()) ctx.problems.push({ object, message: `pods stay Pending: ${message}` });

  const allocation = allocatePodIPs(intents.map((intent) => {
    const key = `${intent.namespace}/${intent.name}`;
    const nodeName = nodeOf.get(key);
    return {
      key,
      node: nodeName === undefined ? undefined : profile.nodes.find((n) => n.name === nodeName),
      hostNetwork: intent.spec?.hostNetwork === true,
      existing: intent.raw ? existingPodIPs(intent.raw) : [],
    };
  }));
  for (const [key, message] of allocation.problems) {
    const intent = byName.get(key)!;
    ctx.problems.push({ object: intent.owner.workload, message: `pod ${key} gets no IP: ${message}` });
  }
  const pods = intents.map((intent) => {
    const key = `${intent.namespace}/${intent.name}`;
    const nodeName = nodeOf.get(key);
    const node = nodeName === undefined ? undefined : profile.nodes.find((n) => n.name === nodeName);
    if (nodeName !== undefined && node === undefined && !allocation.ips.has(key)) {
      ctx.problems.push({ object: intent.owner.workload, message: `node "${nodeName}" is not in the cluster profile; pod ${key} gets no IP` });
    }
    return buildPod(intent, nodeName, node, allocation.ips.get(key) ?? []);
  });
  pods.sort((a, b) => compareKeys(a.ref, b.ref));
  return {
    pods,
    replicaSets: ctx.replicaSets.sort((a, b) => compareMeta(a.metadata, b.metadata)),
    jobs: ctx.jobs.sort((a, b) => compareMeta(a.metadata, b.metadata)),
    problems: ctx.problems.sort(compareProblems),
  };
}

/** The node of a pod: explicit `spec.nodeName`, the DaemonSet's node, the node whose pod CIDR holds its IP, or a spread choice. */
function placeIntent(intent: PodIntent, ctx: Context): string | undefined {
  const explicit = intent.spec?.nodeName;
  if (typeof explicit === 'string' && explicit !== '') return explicit;
  if (intent.fixedNode !== undefined) return intent.fixedNode;
  if (intent.raw !== undefined) {
    const ips = existingPodIPs(intent.raw);
    if (ips.length > 0) return nodeHoldingIP(ips, ctx.profile.nodes);
  }
  const eligible = eligibleNodes(intent.spec, ctx.profile.nodes);
  if (eligible.kind === 'none') {
    const key = `${intent.owner.workload.kind}/${intent.owner.workload.namespace}/${intent.owner.workload.name}`;
    if (!ctx.unschedulable.has(key)) ctx.unschedulable.set(key, { object: intent.owner.workload, message: eligible.message });
    return undefined;
  }
  return spreadNode(eligible.preferred, intent.spreadKey, intent.index).name;
}

function nodeHoldingIP(ips: readonly string[], nodes: readonly ProfileNode[]): string | undefined {
  for (const text of ips) {
    const ip = parseIP(text);
    if (ip === undefined) continue;
    const node = nodes.find((n) => n.podCIDRs.some((c) => {
      const cidr = parseCIDR(c);
      return cidr !== undefined && cidrContains(cidr, ip);
    }) || n.internalIPs.includes(text));
    if (node !== undefined) return node.name;
  }
  return undefined;
}

function buildPod(intent: PodIntent, nodeName: string | undefined, node: ProfileNode | undefined, podIPs: readonly string[]): SimPod {
  const ref: ObjectRef = { kind: 'Pod', group: '', namespace: intent.namespace, name: intent.name };
  const raw = intent.raw;
  const rawMeta = raw && isRecord(raw.metadata) ? raw.metadata : {};
  const rawStatus = raw && isRecord(raw.status) ? raw.status : {};
  const terminating = rawMeta.deletionTimestamp !== undefined && rawMeta.deletionTimestamp !== null;
  const phase = typeof rawStatus.phase === 'string' && rawStatus.phase !== ''
    ? rawStatus.phase
    : nodeName !== undefined ? 'Running' : 'Pending';
  const conditions = Array.isArray(rawStatus.conditions) ? (rawStatus.conditions.filter(isRecord) as unknown as V1PodCondition[]) : [];
  const readyCondition = conditions.find((c) => c.type === 'Ready');
  const ready = readyCondition !== undefined
    ? readyCondition.status === 'True'
    : phase === 'Running' && nodeName !== undefined;
  const outConditions: V1PodCondition[] = readyCondition !== undefined || raw !== undefined && conditions.length > 0
    ? [...conditions, ...(readyCondition === undefined ? [{ type: 'Ready', status: ready ? 'True' : 'False' }] : [])]
    : [
        { type: 'PodScheduled', status: nodeName !== undefined ? 'True' : 'False' },
        { type: 'Ready', status: ready ? 'True' : 'False' },
        { type: 'ContainersReady', status: ready ? 'True' : 'False' },
      ];
  const uid = typeof rawMeta.uid === 'string' && rawMeta.uid !== '' ? rawMeta.uid : fakeUid(`Pod/${intent.namespace}/${intent.name}`);
  const spec: V1PodSpec = nodeName !== undefined ? { ...intent.spec, nodeName } : { ...intent.spec };
  const hostIPs = node?.internalIPs ?? [];
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...rawMeta,
      name: intent.name,
      namespace: intent.namespace,
      uid,
      labels: sortedRecord(intent.labels),
      ...(Object.keys(intent.annotations).length > 0 ? { annotations: sortedRecord(intent.annotations) } : {}),
      ...(intent.ownerReference !== undefined ? { ownerReferences: [intent.ownerReference] } : {}),
    },
    spec,
    status: {
      ...rawStatus,
      phase,
      conditions: outConditions,
      ...(podIPs.length > 0 ? { podIP: podIPs[0], podIPs: podIPs.map((ip) => ({ ip })) } : {}),
      ...(hostIPs.length > 0 && rawStatus.hostIP === undefined ? { hostIP: hostIPs[0], hostIPs: hostIPs.map((ip) => ({ ip })) } : {}),
    },
  } as V1Pod;
  return {
    ref,
    pod,
    origin: raw !== undefined ? 'workspace' : 'simulated',
    owner: intent.owner,
    nodeName,
    podIPs,
    ready,
    terminating,
  };
}

// ---------------------------------------------------------------------------------------
// Helpers.

interface Template {
  readonly raw: Record<string, unknown>;
  readonly path: readonly string[];
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly spec: V1PodSpec;
}

function templateOf(input: Input, ctx: Context): Template | undefined {
  const path = POD_TEMPLATE_PATHS[input.ref.kind] ?? ['spec', 'template'];
  return templateAt(input, ctx, input.raw, path, path);
}

/** The template at `path` of `holder`; `fullPath` is its path inside the input object. */
function templateAt(
  input: Input, ctx: Context, holder: Record<string, unknown>, path: readonly string[], fullPath: readonly string[],
): Template | undefined {
  const raw = getPath(holder, path);
  if (!isRecord(raw)) {
    ctx.problems.push({ object: input.ref, field: fullPath.join('.'), message: `${input.ref.kind} has no pod template; no pods are simulated` });
    return undefined;
  }
  const metadata = isRecord(raw.metadata) ? raw.metadata : {};
  return {
    raw,
    path: fullPath,
    labels: stringMap(metadata.labels),
    annotations: stringMap(metadata.annotations),
    spec: (isRecord(raw.spec) ? raw.spec : {}) as unknown as V1PodSpec,
  };
}

/** A non-negative integer count (`replicas`, `parallelism`, ...), `fallback` when absent. */
function replicasOf(input: Input, ctx: Context, field: string, value: unknown, fallback: number): number | undefined {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return Math.min(value, 10_000);
  ctx.problems.push({ object: input.ref, field, message: `${field} must be a non-negative integer; no pods are simulated` });
  return undefined;
}

/** `count` names `<prefix><5 chars>`, distinct, derived from `seed` and the index. */
function suffixedNames(prefix: string, seed: string, count: number): string[] {
  const taken = new Set<string>();
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(uniqueName(prefix, `${seed}/${i}`, taken));
  return out;
}

function uniqueName(prefix: string, seed: string, taken: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    const name = `${prefix}${nameSuffix(attempt === 0 ? seed : `${seed}#${attempt}`)}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

function spreadKeyOf(input: Input): string {
  return `${input.ref.kind}/${input.ref.namespace}/${input.ref.name}`;
}

function controllerRef(input: Input): V1OwnerReference {
  const apiVersion = typeof input.raw.apiVersion === 'string' ? input.raw.apiVersion : '';
  return ownerRefTo(apiVersion, input.ref.kind, input.ref.name, uidOf(input));
}

function ownerRefTo(apiVersion: string, kind: string, name: string, uid: string): V1OwnerReference {
  return { apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true };
}

function existingPodIPs(raw: Record<string, unknown>): string[] {
  const status = isRecord(raw.status) ? raw.status : {};
  if (Array.isArray(status.podIPs)) {
    const ips = status.podIPs.flatMap((p) => (isRecord(p) && typeof p.ip === 'string' && p.ip !== '' ? [p.ip] : []));
    if (ips.length > 0) return ips;
  }
  return typeof status.podIP === 'string' && status.podIP !== '' ? [status.podIP] : [];
}

function pathPrefix(owner: PodOwner): string {
  return owner.templatePath.length > 2 ? `${owner.templatePath.slice(0, -2).join('.')}.` : '';
}

function describeOwner(owner: PodOwner): string {
  return `${owner.workload.kind} ${owner.workload.namespace}/${owner.workload.name}`;
}

function workspaceFirst(a: PodIntent, b: PodIntent): number {
  return (a.raw !== undefined ? 0 : 1) - (b.raw !== undefined ? 0 : 1);
}

function compareKeys(a: ObjectRef, b: ObjectRef): number {
  const ka = `${a.namespace}\u0000${a.name}`;
  const kb = `${b.namespace}\u0000${b.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function compareMeta(a: { namespace?: string; name?: string } | undefined, b: { namespace?: string; name?: string } | undefined): number {
  const ka = `${a?.namespace ?? ''}\u0000${a?.name ?? ''}`;
  const kb = `${b?.namespace ?? ''}\u0000${b?.name ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** JSON with object keys sorted at every level: the text the template hashes are taken over. */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  writeCanonical(value, out);
  return out.join('');
}

function writeCanonical(value: unknown, out: string[]): void {
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((v, i) => {
      if (i > 0) out.push(',');
      writeCanonical(v, out);
    });
    out.push(']');
    return;
  }
  if (isRecord(value)) {
    out.push('{');
    let first = true;
    for (const k of Object.keys(value).sort()) {
      if (value[k] === undefined) continue;
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(k), ':');
      writeCanonical(value[k], out);
    }
    out.push('}');
    return;
  }
  out.push(JSON.stringify(value) ?? 'null');
}

function getPath(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const key of path) {
    if (!isRecord(v)) return undefined;
    v = v[key];
  }
  return v;
}

function stringMap(v: unknown): Record<string, string> {
  if (!isRecord(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string') out[k] = val;
    else if (typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
  }
  return out;
}

function sortedRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k];
  return out;
}

