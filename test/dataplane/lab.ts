// A throwaway network lab for the data-plane test: network namespaces for an outside client, one
// Kubernetes node and its pods, with a TCP echo server (netns-agent.cjs) in every pod.
//
// Topology (addresses are the caller's; the comments use the test's plan):
//
//   client ns                node ns                               pod ns (one per pod)
//   eth0 192.168.50.2/24 --- kg-client 192.168.50.1/24
//                            lo 10.244.1.1/32 (pod gateway)
//                            kg-pod<i>, route POD_IP/32 ----------- eth0 POD_IP/32,
//                                                                   default via 10.244.1.1
//                            default via 192.168.50.2 (the node's uplink)
//
// The pod links are routed, not bridged (as Calico does it): every pod packet, pod-to-pod included,
// crosses the node's IP stack, so the node's netfilter hooks see it without br_netfilter (a host-wide
// module we must not touch). The node's default route points at the client namespace, which does not
// forward: traffic the rules leave alone never leaves the lab. Only the node namespace forwards.
//
// Invariant: every namespace and process is recorded the moment it exists, and `tearDown` removes
// exactly those (processes first, so the namespaces and their veths really go away). It is safe to
// call twice and after a partial `build`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export interface LabPod {
  readonly name: string;
  readonly ip: string;
  /** Ports its echo server listens on. */
  readonly ports: readonly number[];
}

export interface LabPlan {
  /** Unique per run and per lab: namespace names are `<prefix>-node`, `<prefix>-client`, `<prefix>-<pod>`. */
  readonly prefix: string;
  readonly nodeIP: string;
  readonly clientIP: string;
  /** Prefix length of the node-client link. */
  readonly linkPrefix: number;
  /** The node's address the pods use as their gateway. */
  readonly podGateway: string;
  readonly pods: readonly LabPod[];
  /** Lifetime of the echo servers: an upper bound in case the test process dies. */
  readonly serverTtlMs: number;
}

export type ProbeResult = { readonly reply: string } | { readonly error: string };

export interface CommandResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

const agent = path.join(__dirname, 'netns-agent.cjs');
const serverReadyTimeoutMs = 10000;

export class Lab {
  readonly node: string;
  readonly client: string;
  private readonly namespaces: string[] = [];
  private readonly servers: ChildProcess[] = [];

  constructor(readonly plan: LabPlan) {
    this.node = `${plan.prefix}-node`;
    this.client = `${plan.prefix}-client`;
  }

  podNamespace(pod: string): string {
    return `${this.plan.prefix}-${pod}`;
  }

  /** Creates the namespaces and links, enables forwarding on the node, starts the echo servers. */
  async build(): Promise<void> {
    const { plan, node, client } = this;
    this.addNamespace(node);
    this.addNamespace(client);
    this.ip(node, 'link', 'add', 'kg-client', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', client);
    this.ip(node, 'addr', 'add', `${plan.nodeIP}/${plan.linkPrefix}`, 'dev', 'kg-client');
    this.ip(node, 'link', 'set', 'kg-client', 'up');
    this.ip(client, 'addr', 'add', `${plan.clientIP}/${plan.linkPrefix}`, 'dev', 'eth0');
    this.ip(client, 'link', 'set', 'eth0', 'up');
    this.ip(node, 'route', 'add', 'default', 'via', plan.clientIP);
    this.ip(node, 'addr', 'add', `${plan.podGateway}/32`, 'dev', 'lo');
    plan.pods.forEach((pod, i) => {
      const ns = this.podNamespace(pod.name);
      const hostSide = `kg-pod${i}`;
      this.addNamespace(ns);
      this.ip(node, 'link', 'add', hostSide, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      this.ip(node, 'link', 'set', hostSide, 'up');
      this.ip(node, 'route', 'add', `${pod.ip}/32`, 'dev', hostSide);
      this.ip(ns, 'addr', 'add', `${pod.ip}/32`, 'dev', 'eth0');
      this.ip(ns, 'link', 'set', 'eth0', 'up');
      this.ip(ns, 'route', 'add', plan.podGateway, 'dev', 'eth0', 'scope', 'link');
      this.ip(ns, 'route', 'add', 'default', 'via', plan.podGateway, 'dev', 'eth0');
    });
    this.must(this.exec(node, ['sh', '-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward']), 'enable ip_forward in the node namespace');
    await Promise.all(plan.pods.map((pod) => this.startServer(pod)));
  }

  /** Runs `argv` inside namespace `ns`, feeding `input` on stdin. */
  exec(ns: string, argv: readonly string[], input?: string, timeoutMs = 20000): CommandResult {
    const r = spawnSync('ip', ['netns', 'exec', ns, ...argv], { input, encoding: 'utf8', timeout: timeoutMs });
    return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
  }

  /**
   * `count` sequential TCP connections from namespace `ns` to `host:port`, each bounded by
   * `timeoutMs`, none started after `deadlineMs` (those report `{error: 'deadline'}`).
   */
  probe(ns: string, host: string, port: number, count: number, timeoutMs: number, deadlineMs: number): ProbeResult[] {
    const argv = [process.execPath, agent, 'probe', host, String(port), String(count), String(timeoutMs), String(deadlineMs)];
    const r = this.exec(ns, argv, undefined, deadlineMs + timeoutMs + 10000);
    this.must(r, `probe ${host}:${port} from ${ns}`);
    return JSON.parse(r.stdout) as ProbeResult[];
  }

  /** Stops the servers (waiting for them to exit) and deletes the namespaces; never throws. */
  async tearDown(): Promise<void> {
    await Promise.all(this.servers.splice(0).map(stopProcess));
    for (const ns of this.namespaces.splice(0).reverse()) spawnSync('ip', ['netns', 'del', ns], { encoding: 'utf8', timeout: 10000 });
  }

  /** Synchronous last resort for `process.on('exit')`: kill and delete without waiting. */
  tearDownNow(): void {
    for (const p of this.servers.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    for (const ns of this.namespaces.splice(0).reverse()) spawnSync('ip', ['netns', 'del', ns], { timeout: 10000 });
  }

  private addNamespace(ns: string): void {
    const r = spawnSync('ip', ['netns', 'add', ns], { encoding: 'utf8', timeout: 10000 });
    this.must({ status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' }, `ip netns add ${ns}`);
    this.namespaces.push(ns);
    this.ip(ns, 'link', 'set', 'lo', 'up');
  }

  private ip(ns: string, ...args: string[]): void {
    const r = spawnSync('ip', ['-n', ns, ...args], { encoding: 'utf8', timeout: 10000 });
    this.must({ status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' }, `ip -n ${ns} ${args.join(' ')}`);
  }

  private must(r: CommandResult, what: string): void {
    if (r.status !== 0) throw new Error(`${what}: exit ${r.status}\n${r.stderr}`);
  }

  private startServer(pod: LabPod): Promise<void> {
    const argv = ['netns', 'exec', this.podNamespace(pod.name), process.execPath, agent, 'serve', pod.name, String(this.plan.serverTtlMs), ...pod.ports.map(String)];
    const child = spawn('ip', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.servers.push(child);
    return new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => reject(new Error(`echo server ${pod.name} not ready within ${serverReadyTimeoutMs} ms: ${err}`)), serverReadyTimeoutMs);
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (out.includes('ready\n')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`echo server ${pod.name} exited (${code}) before it was ready: ${err}`));
      });
    });
  }
}

/** SIGTERM, then SIGKILL if the process has not exited within a second. */
function stopProcess(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => p.kill('SIGKILL'), 1000);
    p.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    p.kill('SIGTERM');
  });
}

/**
 * Why this machine cannot run the lab, or undefined when it can: root, `ip netns`, and the
 * binaries of the ruleset loaders.
 */
export function missingCapability(loaders: readonly string[]): string | undefined {
  if (process.platform !== 'linux') return `needs Linux network namespaces (platform is ${process.platform})`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'needs root to create network namespaces';
  for (const bin of ['ip', 'sh', ...loaders]) {
    const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
    if (r.status !== 0) return `${bin} is not installed (scripts/setup-system.sh installs it)`;
  }
  const probe = `kgdp-cap-${process.pid}`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8', timeout: 10000 });
  if (add.status !== 0) return `cannot create a network namespace: ${(add.stderr ?? '').trim()}`;
  spawnSync('ip', ['netns', 'del', probe], { timeout: 10000 });
  return undefined;
}
