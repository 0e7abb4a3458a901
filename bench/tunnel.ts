/**
 * How fast Docker API calls are over Berth's tunnel (one SSH connection, reused streamlocal channels), next to the
 * raw unix socket, docker-modem's own ssh protocol (a handshake and dial-stdio per call) and the docker CLI over
 * ssh://. Prints name=value lines. Run: npx tsx bench/tunnel.ts (needs the sandbox: test/sandbox/up).
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { EventBus } from '../electron/core/events/event-bus';
import { berthPaths } from '../electron/core/home';
import { ConnectionPool } from '../electron/core/ssh/connection-pool';
import { KeyFileSecrets } from '../electron/core/store/key-file-secrets';

const run = promisify(execFile);

interface SandboxServer {
  host: string;
  port: number;
  user: string;
  keyPath: string;
  hostKeyFingerprint: string;
  hostPublicKeyPath: string;
  dockerSocket: string;
}

const sandboxPath = process.env.BERTH_SANDBOX ?? '/tmp/berth-sandbox/sandbox.json';
const s1 = (JSON.parse(readFileSync(sandboxPath, 'utf8')) as { servers: SandboxServer[] }).servers[0];
if (!s1) throw new Error(`No sandbox server in ${sandboxPath}; run test/sandbox/up first.`);

const calls = Number(process.env.BENCH_CALLS ?? 500);
const modemCalls = Number(process.env.BENCH_MODEM_CALLS ?? 50);
const cliCalls = Number(process.env.BENCH_CLI_CALLS ?? 20);

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function time(count: number, call: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  return samples;
}

const results = new Map<string, number>();

function report(name: string, samples: number[]): void {
  const median = percentile(samples, 50);
  const p95 = percentile(samples, 95);
  results.set(`${name}_median_ms`, median);
  console.log(`${name}_calls=${samples.length}`);
  console.log(`${name}_median_ms=${median.toFixed(3)}`);
  console.log(`${name}_p95_ms=${p95.toFixed(3)}`);
}

async function measureDocker(prefix: string, docker: Docker, count: number): Promise<void> {
  await time(Math.min(20, count), () => docker.ping());
  report(`${prefix}_ping`, await time(count, () => docker.ping()));
  report(`${prefix}_list`, await time(count, () => docker.listContainers({ all: true })));
}

/** Raw socket and tunnel calls alternate, so load from other work on the machine hits both alike. */
async function rawAndTunnel(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'berth-bench-'));
  const paths = berthPaths(home);
  const pool = new ConnectionPool({
    paths,
    bus: new EventBus(),
    secrets: new KeyFileSecrets(paths.secretKey),
    env: { HOME: home },
    localDockerSocket: null,
    trustedFingerprints: [s1!.hostKeyFingerprint],
  });
  const server = pool.servers.add({
    name: 'bench',
    host: s1!.host,
    port: s1!.port,
    user: s1!.user,
    auth: { kind: 'key', keyPath: s1!.keyPath },
    dockerSocket: s1!.dockerSocket,
    color: '#4f7cff',
    proxy: { httpPort: 80, image: 'haproxy:2.9-alpine', bindAddress: '0.0.0.0' },
  });
  const connectStarted = performance.now();
  const link = await pool.acquire(server.id);
  console.log(`tunnel_connect_ms=${(performance.now() - connectStarted).toFixed(1)}`);
  const rawDocker = new Docker({ socketPath: s1!.dockerSocket });
  const pairs: Array<[string, (docker: Docker) => Promise<unknown>]> = [
    ['ping', (docker) => docker.ping()],
    ['list', (docker) => docker.listContainers({ all: true })],
  ];
  for (const [name, call] of pairs) {
    await time(20, () => Promise.all([call(rawDocker), call(link.docker)]));
    const rawSamples: number[] = [];
    const tunnelSamples: number[] = [];
    for (let i = 0; i < calls; i += 1) {
      rawSamples.push(...(await time(1, () => call(rawDocker))));
      tunnelSamples.push(...(await time(1, () => call(link.docker))));
    }
    report(`raw_${name}`, rawSamples);
    report(`tunnel_${name}`, tunnelSamples);
  }
  const burst = performance.now();
  await Promise.all(Array.from({ length: 200 }, () => link.docker.listContainers({ all: true })));
  console.log(`tunnel_200_concurrent_list_ms=${(performance.now() - burst).toFixed(1)}`);
  pool.release(server.id);
  await pool.closeAll();
}

async function modemSsh(): Promise<void> {
  const docker = new Docker({
    protocol: 'ssh',
    host: s1!.host,
    port: s1!.port,
    username: s1!.user,
    sshOptions: { privateKey: readFileSync(s1!.keyPath) },
  } as Docker.DockerOptions);
  await measureDocker('modem_ssh', docker, modemCalls);
}

/** The docker CLI's ssh:// transport runs `ssh` from PATH: a wrapper adds a config with the sandbox key and host key. */
async function cli(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-cli-'));
  const hostKey = readFileSync(s1!.hostPublicKeyPath, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  writeFileSync(join(dir, 'known_hosts'), `[${s1!.host}]:${s1!.port} ${hostKey}\n`);
  writeFileSync(
    join(dir, 'ssh_config'),
    `Host ${s1!.host}\n  IdentityFile ${s1!.keyPath}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${join(dir, 'known_hosts')}\n  StrictHostKeyChecking yes\n`,
  );
  writeFileSync(join(dir, 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${join(dir, 'ssh_config')} "$@"\n`);
  chmodSync(join(dir, 'ssh'), 0o755);
  const env = { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}`, DOCKER_HOST: `ssh://${s1!.user}@${s1!.host}:${s1!.port}` };
  await run('docker', ['ps', '-q'], { env });
  report('cli_ps', await time(cliCalls, () => run('docker', ['ps', '-a', '-q'], { env })));
}

await rawAndTunnel();
await modemSsh();
await cli();

const ratio = (a: string, b: string): string => ((results.get(a) ?? NaN) / (results.get(b) ?? NaN)).toFixed(2);
console.log(`tunnel_vs_socket=${ratio('tunnel_ping_median_ms', 'raw_ping_median_ms')}`);
console.log(`tunnel_vs_socket_list=${ratio('tunnel_list_median_ms', 'raw_list_median_ms')}`);
console.log(`modem_ssh_vs_tunnel=${ratio('modem_ssh_ping_median_ms', 'tunnel_ping_median_ms')}`);
console.log(`modem_ssh_vs_tunnel_list=${ratio('modem_ssh_list_median_ms', 'tunnel_list_median_ms')}`);
console.log(`cli_vs_tunnel_list=${ratio('cli_ps_median_ms', 'tunnel_list_median_ms')}`);
