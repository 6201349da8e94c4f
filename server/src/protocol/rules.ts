// `kubeglass/rulesAt` (client -> server, on the "Kubeglass: Show kube-proxy rules" command): the
// kube-proxy rules for the Service under the cursor, or for the whole workspace when the cursor is
// not on a Service. The client opens the text in an editor tab with the matching grammar.
export const RULES_AT_METHOD = 'kubeglass/rulesAt';

export interface RulesAtParams {
  readonly uri?: string;
  readonly position?: { readonly line: number; readonly character: number };
  /** Default: the cluster profile's kube-proxy mode. */
  readonly mode?: 'iptables' | 'nftables' | 'ipvs';
}

export interface RulesAtResult {
  readonly mode: 'iptables' | 'nftables' | 'ipvs';
  /** `Service/ns/name`, or '' for the whole workspace. */
  readonly service: string;
  /** Editor language of `text`: iptables or nftables. */
  readonly language: 'iptables' | 'nftables';
  readonly text: string;
}
