// validateObject over every Kubernetes object of the shared corpus (real, published manifests).
// Correct manifests must produce no problem at all; the few objects that are genuinely invalid
// were checked by hand and are listed below with the reason, so that a new problem (a false
// positive) and a vanished one (a missed error) both fail the test.
//
// Skipped, as not complete objects: kustomize patch files (named by a kustomization's `patches`,
// `patchesStrategicMerge` or `patchesJson6902`), and documents that do not parse (Helm-style
// `{{ }}` templates; the corpus has none that fail). Custom resources are checked against the
// CRDs found in the same corpus source.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { corpusDir } from '../../support/paths';
import { knownKind, schemaFromCRD, validateObject, type KindSchema } from '../../../server/src/engine/schema/schema';

/** `<file> <kind>/<name>: <severity> <message>`, each checked by hand against the manifest. */
const expectedProblems: readonly string[] = [
  // Kustomize bases whose kustomization's commonLabels add the selector (ingress-nginx,
  // metrics-server), and argo-cd's replicas-0 controller StatefulSet, committed without a
  // selector (no kustomization in its tree adds one): not accepted as they stand.
  'argo-cd/manifests/base/application-controller-deployment/argocd-application-controller-statefulset.yaml StatefulSet/argocd-application-controller: error spec.selector: Required value',
  'ingress-nginx/deploy/grafana/deployment.yaml Deployment/grafana: error spec.selector: Required value',
  'ingress-nginx/deploy/prometheus/deployment.yaml Deployment/prometheus-server: error spec.selector: Required value',
  'metrics-server/manifests/base/deployment.yaml Deployment/metrics-server: error spec.selector: Required value',
  // A real bug: env values must be strings; the API server rejects the boolean.
  'ingress-nginx/docs/examples/auth/oauth-external-auth/vouch-proxy.yaml Deployment/vouch-proxy: error spec.template.spec.containers[0].env[0].value: expected string, got boolean true',
  // Placeholders meant to be replaced with sed/envsubst before applying.
  "kubernetes-engine-samples/ai-ml/gke-slurm/autopilot/pv-pvc.yaml PersistentVolume/PV_NAME: error spec.capacity.storage: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  "kubernetes-engine-samples/ai-ml/gke-slurm/autopilot/pv-pvc.yaml PersistentVolumeClaim/PVC_NAME: error spec.resources.requests.storage: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  'kubernetes-engine-samples/ai-ml/infw-gw/examples/getting-started/inference-pool-variables.yaml Service/${EXTENSION_NAME:-vllm-llama3-8b-instruct-epp}: error spec.type: Unsupported value: "${SERVICE_TYPE:-ClusterIP}": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
  'kubernetes-engine-samples/ai-ml/infw-gw/examples/getting-started/inference-pool-variables.yaml Service/${EXTENSION_NAME:-vllm-llama3-8b-instruct-epp}: error spec.ports[0].protocol: Unsupported value: "${SERVICE_PROTOCOL:-TCP}": supported values: "SCTP", "TCP", "UDP"',
  'kubernetes-engine-samples/ai-ml/infw-gw/examples/getting-started/inference-pool-variables.yaml Service/${EXTENSION_NAME:-vllm-llama3-8b-instruct-epp}: error spec.ports[0].port: expected integer, got string "${EXTENSION_GRPC_PORT:-9002}"',
  'kubernetes-engine-samples/ai-ml/infw-gw/examples/getting-started/inference-pool-variables.yaml Deployment/${EXTENSION_NAME:-vllm-llama3-8b-instruct-epp}: error spec.replicas: expected integer, got string "${REPLICAS:-1}"',
  'kubernetes-engine-samples/ai-ml/infw-gw/examples/getting-started/inference-pool-variables.yaml Deployment/${EXTENSION_NAME:-vllm-llama3-8b-instruct-epp}: error spec.template.spec.containers[0].imagePullPolicy: Unsupported value: "${IMAGE_PULL_POLICY:-Always}": supported values: "Always", "IfNotPresent", "Never"',
  'kubernetes-engine-samples/ai-ml/infw-gw/examples/getting-started/inference-pool-variables.yaml Deployment/${EXTENSION_NAME:-vllm-llama3-8b-instruct-epp}: error spec.template.spec.containers[0].ports[0].containerPort: expected integer, got string "${EXTENSION_GRPC_PORT:-9002}"',
  'kubernetes-engine-samples/ai-ml/infw-gw/examples/getting-started/inference-pool-variables.yaml Deployment/${EXTENSION_NAME:-vllm-llama3-8b-instruct-epp}: error spec.template.spec.containers[0].ports[1].containerPort: expected integer, got string "${EXTENSION_GRPC_HEALTH_PORT:-9003}"',
  'kubernetes-engine-samples/ai-ml/infw-gw/examples/getting-started/inference-pool-variables.yaml Deployment/${EXTENSION_NAME:-vllm-llama3-8b-instruct-epp}: error spec.template.spec.containers[0].ports[2].containerPort: expected integer, got string "${METRICS_PORT:-9090}"',
  'kubernetes-engine-samples/ai-ml/infw-gw/examples/getting-started/inference-pool-variables.yaml Deployment/${EXTENSION_NAME:-vllm-llama3-8b-instruct-epp}: error spec.template.spec.containers[0].livenessProbe.grpc.port: expected integer, got string "${EXTENSION_GRPC_HEALTH_PORT:-9003}"',
  'kubernetes-engine-samples/ai-ml/infw-gw/examples/getting-started/inference-pool-variables.yaml Deployment/${EXTENSION_NAME:-vllm-llama3-8b-instruct-epp}: error spec.template.spec.containers[0].livenessProbe.initialDelaySeconds: expected integer, got string "${LIVENESS_INITIAL_DELAY:-5}"',
  'kubernetes-engine-samples/ai-ml/infw-gw/examples/getting-started/inference-pool-variables.yaml Deployment/${EXTENSION_NAME:-vllm-llama3-8b-instruct-epp}: error spec.template.spec.containers[0].livenessProbe.periodSeconds: expected integer, got string "${LIVENESS_PERIOD:-10}"',
  'kubernetes-engine-samples/ai-ml/infw-gw/examples/getting-started/inference-pool-variables.yaml Deployment/${EXTENSION_NAME:-vllm-llama3-8b-instruct-epp}: error spec.template.spec.containers[0].readinessProbe.grpc.port: expected integer, got string "${EXTENSION_GRPC_HEALTH_PORT:-9003}"',
  'kubernetes-engine-samples/ai-ml/infw-gw/examples/getting-started/inference-pool-variables.yaml Deployment/${EXTENSION_NAME:-vllm-llama3-8b-instruct-epp}: error spec.template.spec.containers[0].readinessProbe.initialDelaySeconds: expected integer, got string "${READINESS_INITIAL_DELAY:-5}"',
  'kubernetes-engine-samples/ai-ml/infw-gw/examples/getting-started/inference-pool-variables.yaml Deployment/${EXTENSION_NAME:-vllm-llama3-8b-instruct-epp}: error spec.template.spec.containers[0].readinessProbe.periodSeconds: expected integer, got string "${READINESS_PERIOD:-10}"',
  ...[
    'vllm-llama4-maverick-17b-128e-instruct-fp8.yaml',
    'vllm-llama4-maverick-17b-128e-instruct.yaml',
    'vllm-llama4-maverick-17b-128e.yaml',
    'vllm-llama4-scout-17b-16e-instruct.yaml',
    'vllm-llama4-scout-17b-16e.yaml',
  ].map((f) => `kubernetes-engine-samples/ai-ml/llm-serving-llama/vllm/${f} Secret/hf-secret: error stringData.hf_api_token: expected string, got object`),
  "kubernetes-engine-samples/autoscaling/custom-compute-classes/reservations/deployment-gpu.yaml Deployment/ccc-reservations: error spec.template.spec.containers[0].resources.limits.nvidia.com/gpu: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  "kubernetes-engine-samples/autoscaling/custom-compute-classes/reservations/deployment-gpu.yaml Deployment/ccc-reservations: error spec.template.spec.containers[0].resources.requests.nvidia.com/gpu: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  'kubernetes-engine-samples/databases/redis-enterprise-operator/manifests/01-basic-cluster/webhook.yaml ValidatingWebhookConfiguration/redis-enterprise-admission: error webhooks[0].clientConfig.caBundle: illegal base64 data: the last group of 4 characters is incomplete',
  'ingress-nginx/docs/examples/customization/ssl-dh-param/ssl-dh-param.yaml Secret/lb-dhparam: error data.dhparam.pem: illegal base64 data at input byte 0',
  'kubernetes-engine-samples/networking/sctp/sctp-deployment.yaml Deployment/sctp-app: error spec.template.spec.containers[0].ports[0].containerPort: expected integer, got string "PORT"',
  'kubernetes-engine-samples/networking/sctp/sctp-deployment.yaml Service/sctp-service: error spec.ports[0].port: expected integer, got string "PORT"',
  'kubernetes-examples/_archived/volumes/fibre_channel/fc.yaml Pod/fibre-channel-example-pod: error spec.volumes[0].fc.lun: expected integer, got string "<ADD LUN ID Here>"',
  // Archived examples written for old releases: lower-case protocols (rejected since), fields that
  // were never part of the volume sources (StorageClass parameters, a typo), removed fields.
  'kubernetes-examples/_archived/volumes/aws_ebs/aws-ebs-web.yaml Pod/aws-web: error spec.containers[0].ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"',
  'kubernetes-examples/_archived/volumes/cinder/cinder-web.yaml Pod/cinder-web: error spec.containers[0].ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"',
  'kubernetes-examples/_archived/volumes/rbd/rbd.yaml Pod/rbd: error unknown field "spec.volumes[0].rbd.imageformat"',
  'kubernetes-examples/_archived/volumes/rbd/rbd.yaml Pod/rbd: error unknown field "spec.volumes[0].rbd.imagefeatures"',
  'kubernetes-examples/_archived/volumes/scaleio/pod.yaml Pod/pod-0: error unknown field "spec.volumes[0].scaleIO.protectionDoamin"',
  'kubernetes-examples/_archived/volumes/storageos/storageos-pod.yaml Pod/test-storageos-redis: error unknown field "spec.volumes[0].storageos.pool"',
  'kubernetes-examples/_archived/volumes/storageos/storageos-pv.yaml PersistentVolume/pv0001: error unknown field "spec.storageos.secretName"',
  // Custom resources that do not match the CRD shipped beside them in the same repository.
  'istio-samples/samples/security/spire-trust-domain-federation/cluster-federated-trust-domain.yaml ClusterFederatedTrustDomain/${CLUSTER}: error unknown field "spec.className"',
  ...['inference-model-variables.yaml InferenceModel/${MODEL_NAME:-vllm-llama3-8b-instruct}', 'inference-model.yaml InferenceModel/vllm-llama3-8b-instruct'].flatMap((o) =>
    [
      'error unknown field "spec.modelSource"',
      'error unknown field "spec.resources"',
      'error spec.modelName: Required value',
      'error spec.poolRef: Required value',
    ].map((m) => `kubernetes-engine-samples/ai-ml/infw-gw/examples/getting-started/${o}: ${m}`),
  ),
  ...['', 'strimzi-metrics-reporter/'].flatMap((d) =>
    ['configStorageTopic', 'groupId', 'offsetStorageTopic', 'statusStorageTopic'].map(
      (f) => `strimzi/packaging/examples/metrics/${d}kafka-connect-metrics.yaml KafkaConnect/my-connect-cluster: error spec.${f}: Required value`,
    ),
  ),
];

interface CorpusObject {
  readonly file: string;
  readonly source: string;
  readonly value: Record<string, unknown>;
}

test('corpus: correct manifests validate without problems', () => {
  const files = walk(corpusDir).sort();
  const patchFiles = kustomizePatchFiles(files);
  const objects: CorpusObject[] = [];
  for (const file of files) {
    if (patchFiles.has(file)) continue;
    const rel = path.relative(corpusDir, file);
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      if (doc.errors.length > 0) continue;
      const value: unknown = doc.toJS();
      if (!isRecord(value)) continue;
      // Items of `kind: List` / `<Kind>List` documents are objects of their own.
      const items = typeof value['kind'] === 'string' && value['kind'].endsWith('List') && Array.isArray(value['items']) ? value['items'] : [value];
      for (const item of items) if (isRecord(item)) objects.push({ file: rel, source: rel.split(path.sep)[0]!, value: item });
    }
  }
  const crdsBySource = new Map<string, KindSchema[]>();
  for (const o of objects) {
    const kinds = schemaFromCRD(o.value);
    if (kinds.length > 0) crdsBySource.set(o.source, [...(crdsBySource.get(o.source) ?? []), ...kinds]);
  }
  const actual: string[] = [];
  let builtin = 0;
  let custom = 0;
  for (const o of objects) {
    const { apiVersion, kind, metadata } = o.value;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') continue;
    const options = { crds: crdsBySource.get(o.source) ?? [] };
    if (knownKind(apiVersion, kind)) builtin++;
    else if (knownKind(apiVersion, kind, options)) custom++;
    const name = isRecord(metadata) ? String(metadata['name']) : '?';
    for (const p of validateObject(apiVersion, kind, o.value, options)) actual.push(`${o.file} ${kind}/${name}: ${p.severity} ${p.message}`);
  }
  // The corpus holds ~2800 built-in objects and ~200 custom resources with a CRD beside them:
  // a test that skipped them all would prove nothing.
  assert.ok(builtin > 2500, `built-in objects checked: ${builtin}`);
  assert.ok(custom > 150, `custom resources checked: ${custom}`);
  assert.deepEqual([...actual].sort(), [...expectedProblems].sort());
});

/** Files a kustomization names as patches: partial objects by design. */
function kustomizePatchFiles(files: readonly string[]): ReadonlySet<string> {
  const out = new Set<string>();
  for (const file of files) {
    if (!/^kustomization\.ya?ml$/.test(path.basename(file))) continue;
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const k: unknown = doc.toJS();
      if (!isRecord(k)) continue;
      const refs: unknown[] = [
        ...asArray(k['patches']).map((p) => (isRecord(p) ? p['path'] : undefined)),
        ...asArray(k['patchesStrategicMerge']),
        ...asArray(k['patchesJson6902']).map((p) => (isRecord(p) ? p['path'] : undefined)),
      ];
      for (const ref of refs) if (typeof ref === 'string' && !ref.includes('\n')) out.add(path.resolve(path.dirname(file), ref));
    }
  }
  return out;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) walk(p, out);
    else if (/\.ya?ml(\.sed)?$/.test(name)) out.push(p);
  }
  return out;
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
