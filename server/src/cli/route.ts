// `kubeglass route [paths...] --host HOST --path PATH [--class NAME] [--format text|json]`: which
// Ingress rule and backend a conformant controller picks for a request, and the pods behind it.
// JSON: {"status": 200|404, "ingress": "ns/name"|null, "backend": {"service", "port"}|null, "pods": [...]}.
import type { Command } from './commands';
import { routeIngressRequestForClass, resolveIngressClass, defaultIngressClass } from '../engine/semantics/ingress';
import type { V1Ingress, V1IngressClass } from '../engine/model/k8s-types';
import { loadSimulation, oneOf } from './simulation';
import { UsageError } from './usage-error';
import { matches, serviceSelector } from '../engine/labels/selector';

export const routeCommand: Command = {
  name: 'route',
  usage: 'route [paths...] --host HOST --path PATH [--class NAME] [--format text|json]',
  summary: 'which Ingress rule, Service and pods serve a request',
  run(ctx) {
    const { values, positionals } = ctx.parse({
      host: { type: 'string' },
      path: { type: 'string' },
      class: { type: 'string' },
      format: { type: 'string', short: 'f' },
      profile: { type: 'string' },
    });
    if (typeof values.host !== 'string' || typeof values.path !== 'string') throw new UsageError('route needs --host HOST --path PATH');
    const format = oneOf(values.format, ['text', 'json'] as const, '--format', 'text');
    const sim = loadSimulation(ctx, positionals, values.profile as string | undefined);
    const objects = sim.loaded.workspace.objects();
    const ingresses = objects.filter((o) => o.kind === 'Ingress' && !o.hasSyntaxErrors).map((o) => withNs(o.raw, o.namespace) as V1Ingress);
    const classes = objects.filter((o) => o.kind === 'IngressClass').map((o) => o.raw as V1IngressClass);
    const className = typeof values.class === 'string' ? values.class : classOfRequest(ingresses, classes);
    const result = routeIngressRequestForClass(ingresses, classes, className, { host: values.host, path: values.path }, { defaultNamespace: sim.loaded.workspace.getOptions().defaultNamespace });
    const pods: string[] = [];
    if (result.backend && result.ingress) {
      const ns = result.ingress.split('/')[0];
      const svc = sim.cluster.services.find((s) => s.ref.namespace === ns && s.ref.name === result.backend!.service);
      const sel = svc?.service.spec?.selector;
      if (sel && Object.keys(sel).length) {
        const selector = serviceSelector(sel);
        for (const p of sim.cluster.pods) if (p.ref.namespace === ns && matches(selector, p.pod.metadata?.labels ?? {})) pods.push(`${p.ref.namespace}/${p.ref.name}`);
      }
    }
    const out = { status: result.status, ingress: result.ingress, backend: result.backend, pods: pods.sort() };
    if (format === 'json') {
      ctx.out(JSON.stringify({ ...result, ...out }, null, 2) + '\n');
      return 0;
    }
    if (result.status === 404) ctx.out(`404: no rule of class ${className ?? '(none)'} matches ${values.host}${values.path}\n`);
    else ctx.out(`${result.status}: Ingress ${result.ingress} → Service ${result.backend?.service}:${String(result.backend?.port)}${'rulePath' in result && result.rulePath ? ` (${String(result.rulePath)})` : ''}\n${pods.map((p) => `  pod ${p}\n`).join('')}`);
    return 0;
  },
};

/** Without --class: the one class the Ingresses use, else the default IngressClass, else none. */
function classOfRequest(ingresses: readonly V1Ingress[], classes: readonly V1IngressClass[]): string | null {
  const used = new Set(ingresses.map((ing) => resolveIngressClass(ing, classes).className));
  if (used.size === 1) return [...used][0];
  return defaultIngressClass(classes).name;
}

function withNs(raw: Readonly<Record<string, unknown>>, namespace: string): unknown {
  const metadata = (raw.metadata ?? {}) as Record<string, unknown>;
  return { ...raw, metadata: { ...metadata, namespace } };
}
