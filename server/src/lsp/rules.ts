// The "Show kube-proxy rules" request: rules of the cluster profile's kube-proxy node for the
// Service under the cursor, or for the whole workspace.
import type { ServerState } from './server';
import { RULES_AT_METHOD, type RulesAtParams, type RulesAtResult } from '../protocol/rules';
import { parseProfile } from '../engine/simulate/profile';
import { simulateWorkspace } from '../engine/simulate/workspace-simulation';
import { kubeProxyRules } from '../engine/simulate/kube-proxy/rules';

const MODES = new Set(['iptables', 'nftables', 'ipvs']);

export function registerRules(state: ServerState): void {
  const { connection, workspace, guard } = state;
  connection.onRequest(RULES_AT_METHOD, (params: RulesAtParams | undefined): RulesAtResult | null =>
    guard('rulesAt', params?.uri, null, () => {
      const { profile } = parseProfile(state.profileSetting());
      const mode = params?.mode && MODES.has(params.mode) ? params.mode : profile.kubeProxy.mode;
      let service: { namespace: string; name: string } | undefined;
      if (params?.uri && params.position && workspace.hasFile(params.uri)) {
        const at = workspace.objectAt(params.uri, workspace.lineIndex(params.uri).offset(params.position));
        if (at?.object.kind === 'Service') service = { namespace: at.object.namespace, name: at.object.name };
      }
      const cluster = simulateWorkspace(workspace.objects(), { profile, defaultNamespace: workspace.getOptions().defaultNamespace, includeBuiltins: true });
      const result = kubeProxyRules(cluster, { mode, format: 'save', service });
      const header = `# kube-proxy ${mode} rules on node ${profile.kubeProxy.node}${service ? ` for Service ${service.namespace}/${service.name}` : ''} (simulated by Kubeglass)\n${result.problems.map((p) => `# ${p}\n`).join('')}`;
      return {
        mode,
        service: service ? `Service/${service.namespace}/${service.name}` : '',
        language: mode === 'nftables' ? 'nftables' : 'iptables',
        text: header + result.text,
      };
    }),
  );
}
