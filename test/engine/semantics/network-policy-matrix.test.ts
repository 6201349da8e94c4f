// Matrix text of NetworkPolicy reachability; expected text written by hand from spec g.1-g.3.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { V1NetworkPolicy } from '../../../server/src/engine/model/k8s-types';
import { buildNetworkPolicyModel } from '../../../server/src/engine/semantics/network-policy';
import { reachability } from '../../../server/src/engine/semantics/network-policy-reach';
import { renderReachMatrix } from '../../../server/src/engine/semantics/network-policy-matrix';

test('matrix: one block per port, rows are sources, `.` allowed, `X` denied, `?` not probed', () => {
  // x/a accepts only x/b, and only on TCP 80. Everything else is unisolated.
  const model = buildNetworkPolicyModel({
    namespaces: [],
    pods: [
      { namespace: 'y', name: 'c', labels: { pod: 'c' }, ips: [], ports: [] },
      { namespace: 'x', name: 'b', labels: { pod: 'b' }, ips: [], ports: [] },
      { namespace: 'x', name: 'a', labels: { pod: 'a' }, ips: [], ports: [] },
    ],
    policies: [
      {
        metadata: { namespace: 'x', name: 'a-from-b' },
        spec: { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }], ports: [{ port: 80 }] }] },
      } as unknown as V1NetworkPolicy,
    ],
  });
  const { pairs, endpoints } = reachability(model, {
    ports: [
      { port: 80, protocol: 'TCP' },
      { port: 53, protocol: 'UDP' },
    ],
    externalIps: ['1.2.3.4'],
  });
  const expected = [
    'UDP/53',
    '-       x/a     x/b     y/c     1.2.3.4',
    'x/a     .       .       .       .',
    'x/b     X       .       .       .',
    'y/c     X       .       .       .',
    '1.2.3.4 X       .       .       ?',
    '',
    'TCP/80',
    '-       x/a     x/b     y/c     1.2.3.4',
    'x/a     .       .       .       .',
    'x/b     .       .       .       .',
    'y/c     X       .       .       .',
    '1.2.3.4 X       .       .       ?',
  ].join('\n');
  assert.equal(renderReachMatrix(pairs), expected);
  assert.equal(renderReachMatrix(pairs, { endpoints }), expected);
  // A chosen order is honoured.
  const reordered = renderReachMatrix(pairs.filter((p) => p.protocol === 'TCP'), { endpoints: ['y/c', 'x/a'] });
  assert.equal(reordered, ['TCP/80', '-   y/c x/a', 'y/c .   X', 'x/a .   .'].join('\n'));
  assert.equal(renderReachMatrix([]), '');
});
