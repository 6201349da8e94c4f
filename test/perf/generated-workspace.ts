// Generates a synthetic workspace of N objects for benchmarks: apps of Deployment + Service +
// ConfigMap + Ingress (every 5th app adds a StatefulSet with its headless Service, every 4th a
// NetworkPolicy, every 3rd an HPA) across 20 namespaces, in files of about 25 documents
// (about 3.2 MB of YAML per 10,000 objects). Deterministic: the same N gives the same bytes.

export interface GeneratedFile {
  readonly path: string;
  readonly text: string;
}

export function generateWorkspace(objects: number, namespaces = 20, docsPerFile = 25): GeneratedFile[] {
  const docs: { ns: string; text: string }[] = [];
  let app = 0;
  while (docs.length < objects) {
    const ns = `team-${String(app % namespaces).padStart(2, '0')}`;
    const name = `app-${app}`;
    docs.push(...appDocuments(ns, name, app).map((text) => ({ ns, text })));
    app++;
  }
  docs.length = objects;
  const files: GeneratedFile[] = [];
  for (let i = 0; i < docs.length; i += docsPerFile) {
    const chunk = docs.slice(i, i + docsPerFile);
    files.push({ path: `${chunk[0].ns}/manifests-${String(i / docsPerFile).padStart(5, '0')}.yaml`, text: chunk.map((d) => d.text).join('---\n') });
  }
  return files;
}

function appDocuments(ns: string, name: string, i: number): string[] {
  const labels = `app: ${name}\n        tier: ${i % 2 ? 'backend' : 'frontend'}\n        team: t${i % 7}`;
  const out = [
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
    app: ${name}
spec:
  replicas: ${(i % 3) + 1}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        ${labels}
    spec:
      serviceAccountName: default
      containers:
        - name: main
          image: registry.example.com/${name}:1.${i % 10}.0
          ports:
            - name: http
              containerPort: 8080
            - name: metrics
              containerPort: 9090
          envFrom:
            - configMapRef:
                name: ${name}-config
          readinessProbe:
            httpGet:
              path: /ready
              port: http
          resources:
            requests: {cpu: 100m, memory: 128Mi}
`,
    `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    app: ${name}
  ports:
    - name: http
      port: 80
      targetPort: http
`,
    `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-config
  namespace: ${ns}
data:
  LOG_LEVEL: info
  UPSTREAM: http://app-${i + 1}.${ns}.svc.cluster.local
`,
    `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  rules:
    - host: ${name}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${name}
                port:
                  name: http
`,
  ];
  if (i % 5 === 0) {
    out.push(`apiVersion: v1
kind: Service
metadata:
  name: ${name}-db
  namespace: ${ns}
spec:
  clusterIP: None
  selector:
    app: ${name}-db
  ports:
    - name: pg
      port: 5432
`, `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${name}-db
  namespace: ${ns}
spec:
  serviceName: ${name}-db
  replicas: 2
  selector:
    matchLabels:
      app: ${name}-db
  template:
    metadata:
      labels:
        app: ${name}-db
    spec:
      containers:
        - name: pg
          image: postgres:16
          ports:
            - name: pg
              containerPort: 5432
`);
  }
  if (i % 4 === 0) {
    out.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}-ingress
  namespace: ${ns}
spec:
  podSelector:
    matchLabels:
      app: ${name}
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector:
            matchLabels:
              tier: frontend
      ports:
        - port: http
`);
  }
  if (i % 3 === 0) {
    out.push(`apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${name}
  minReplicas: 1
  maxReplicas: 5
`);
  }
  return out;
}
