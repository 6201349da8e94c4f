// YAML that is not a Kubernetes manifest sits in every repository next to the manifests: CI
// workflows, compose files, OpenAPI documents, Helm values and templates, Kustomize files. None of
// them gets a diagnostic, except a Helm template, which is reported once as not analysed. Kinds the
// engine has no schema for (custom resources without their CRD, CRDs with open schemas) get no
// schema errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDiagnostics, workspaceOf } from '../support/fixture';

test('GitHub workflow, docker-compose, OpenAPI and Helm values files: no diagnostics at all', () => {
  checkDiagnostics(`
#- /.github/workflows/ci.yaml
name: ci
on:
  push: {branches: [main]}
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci && npm test
        env: {CI: yes, NODE_OPTIONS: --max-old-space-size=4096}
#- /docker-compose.yml
version: "3.9"
services:
  web:
    image: nginx:1.27
    ports: ["8080:80", 443:443]
    environment:
      DEBUG: on
      UMASK: 0755
    deploy: {replicas: 2}
#- /api/openapi.yaml
openapi: 3.0.3
info: {title: Shop, version: 1.0.0}
paths:
  /orders/{id}:
    get:
      parameters: [{name: id, in: path, required: yes, schema: {type: string}}]
      responses:
        "200": {description: ok}
components:
  schemas:
    Kind: {type: string, enum: [Service, Pod]}
    apiVersion: {type: string}
#- /chart/values.yaml
replicaCount: 2
image: {repository: nginx, tag: ""}
service: {type: ClusterIP, port: 80}
ingress:
  enabled: off
  hosts: [{host: chart.local, paths: [{path: /, pathType: Prefix}]}]
podAnnotations: {}
#- /ansible/playbook.yml
- hosts: all
  tasks:
    - name: install
      apt: {name: nginx, state: present}
`);
});

test('a Helm template is reported once as not analysed, and nothing else', () => {
  checkDiagnostics(`
#- /chart/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "chart.fullname" . }}
  #     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ info helm-template: Helm/Go template: not analysed
  labels:
    {{- include "chart.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
`);
  // A helpers file starts with a template comment at column 0 (carets cannot point there).
  const { ws } = workspaceOf(`
#- /chart/templates/_helpers.yaml
{{/* Expand the name of the chart. */}}
{{- define "chart.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}
`);
  const d = ws.diagnostics('file:///chart/templates/_helpers.yaml');
  assert.deepEqual(d.map((x) => [x.code, x.severity, x.start, x.end]), [['helm-template', 'info', 0, 39]]);
});

test('Kustomize: kustomization files and strategic-merge patches (partial objects) are not errors', () => {
  checkDiagnostics(`
#- /base/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop
resources: [deployment.yaml]
commonLabels: {app: web}
images: [{name: nginx, newTag: "1.27"}]
#- /base/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
#- /overlays/prod/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../../base]
patches:
  - path: replicas.yaml
#- /overlays/prod/replicas.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 5
`);
});

test('a patch listed by a kustomization.yaml without apiVersion/kind is not checked as a whole object', () => {
  // kustomize accepts kustomization files without the apiVersion/kind header.
  checkDiagnostics(`
#- /overlays/dev/kustomization.yaml
resources: [../../base]
patches:
  - path: replicas.yaml
#- /overlays/dev/replicas.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 5
`);
});

test('custom resources without their CRD, and CRDs with open schemas: no schema errors', () => {
  const { ws } = workspaceOf(`
#- /istio.yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  http: [{route: [{destination: {host: reviews, subset: v1}, weight: 100}]}]
  anything: {goes: [1, 2, {three: 3}]}
#- /crd.yaml
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
#- /widget.yaml
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, namespace: shop}
spec: {size: 3, colour: blue, nested: {deeper: [true]}}
#- /unknown-version.yaml
apiVersion: example.com/v7
kind: Widget
metadata: {name: w7, namespace: shop}
spec: {whatever: 1}
#- /made-up.yaml
apiVersion: made.up/v1alpha1
kind: Frobnicator
metadata: {name: f}
frobs: 12
`);
  const schemaFindings = ws.fileUris().flatMap((uri) => ws.diagnostics(uri)).filter((d) => d.code === 'schema');
  assert.deepEqual(schemaFindings, []);
  assert.equal(ws.objects().length, 5, 'every object is still indexed');
});
