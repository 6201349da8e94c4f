// The workspace the topology tests (engine snapshot and browser) share: one namespace with an
// Ingress, a Deployment behind a Service with a named targetPort, a StatefulSet behind a headless
// Service, a ConfigMap and a Secret the pods use, a NetworkPolicy, a Service that selects nothing,
// and a label value that is an HTML injection attempt.
export const XSS_LABEL = '<img src=x onerror=alert(1)>';
export const SECRET_VALUE = 'hunter2-do-not-show';

export const TOPOLOGY_FIXTURE: Record<string, string> = {
  'file:///app/namespace.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {team: shop}
`,
  'file:///app/web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels:
        app: web
        tier: frontend
        note: "${XSS_LABEL}"
    spec:
      containers:
        - name: web
          image: example.invalid/web:1
          ports:
            - name: http
              containerPort: 8080
          envFrom:
            - configMapRef: {name: web-config}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: NodePort
  selector: {app: web}
  ports:
    - name: http
      port: 80
      targetPort: http
      nodePort: 30080
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: {name: web, port: {number: 80}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  namespace: shop
data:
  MODE: prod
`,
  'file:///app/db.yaml': `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: shop
spec:
  serviceName: db
  replicas: 2
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
        - name: pg
          image: example.invalid/pg:16
          ports:
            - name: pg
              containerPort: 5432
          env:
            - name: PASSWORD
              valueFrom:
                secretKeyRef: {name: db-creds, key: password}
---
apiVersion: v1
kind: Service
metadata:
  name: db
  namespace: shop
spec:
  clusterIP: None
  selector: {app: db}
  ports:
    - name: pg
      port: 5432
      targetPort: pg
---
apiVersion: v1
kind: Secret
metadata:
  name: db-creds
  namespace: shop
stringData:
  password: ${SECRET_VALUE}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db-from-web
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: db}
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector:
            matchLabels: {tier: frontend}
      ports:
        - port: 5432
---
apiVersion: v1
kind: Service
metadata:
  name: orphan
  namespace: shop
spec:
  selector: {app: nothing-has-this}
  ports:
    - port: 9000
`,
};
