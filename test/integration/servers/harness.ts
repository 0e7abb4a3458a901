import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serversMethods } from '../../../shared/api/servers';
import type { EventData, Output, ParsedInput, Topic } from '../../../shared/api';
import { EventBus } from '../../../electron/core/events/event-bus';
import { berthPaths, type BerthPaths } from '../../../electron/core/home';
import { ConnectionPool, type ConnectionPoolOptions } from '../../../electron/core/ssh/connection-pool';
import { createServerHandlers } from '../../../electron/core/servers/handlers';
import { KeyFileSecrets } from '../../../electron/core/store/key-file-secrets';

const run = promisify(execFile);

export interface SandboxServer {
  name: string;
  host: string;
  port: number;
  user: string;
  keyPath: string;
  wrongKeyPath: string;
  hostKeyFingerprint: string;
  hostPublicKeyPath: string;
  dockerSocket: string;
  swarm: boolean;
}

interface SandboxInfo {
  servers: SandboxServer[];
  images: { base: string };
  scripts: { restartSshd: string };
}

export function sandbox(): SandboxInfo {
  const path = process.env.BERTH_SANDBOX ?? '/tmp/berth-sandbox/sandbox.json';
  if (!existsSync(path)) throw new Error(`No sandbox description at ${path}: run \`npm run sandbox:up\` (needs root) first.`);
  return JSON.parse(readFileSync(path, 'utf8')) as SandboxInfo;
}

export function sandboxServer(name: 's1' | 's2'): SandboxServer {
  const server = sandbox().servers.find((candidate) => candidate.name === name);
  if (!server) throw new Error(`The sandbox has no server ${name}.`);
  return server;
}

type ServerMethod = keyof typeof serversMethods;

export interface TestEngine {
  home: string;
  paths: BerthPaths;
  bus: EventBus;
  pool: ConnectionPool;
  /** Parses input and output with the contract's schemas, as the dispatcher does. */
  call<M extends ServerMethod>(method: M, input: unknown): Promise<Output<M>>;
  events<T extends Topic>(topic: T): Array<EventData<T>>;
  close(): Promise<void>;
}

/**
 * The servers part of the engine on a fresh BERTH_HOME, with HOME pointed at that folder too so that no test reads
 * or writes the real ~/.ssh. Sandbox host keys are not trusted unless a test says so.
 */
export function createTestEngine(options: Partial<Omit<ConnectionPoolOptions, 'paths' | 'bus' | 'secrets'>> = {}): TestEngine {
  const home = mkdtempSync(join(tmpdir(), 'berth-servers-'));
  const paths = berthPaths(home);
  const bus = new EventBus();
  const secrets = new KeyFileSecrets(paths.secretKey);
  const pool = new ConnectionPool({ paths, bus, secrets, env: { HOME: home }, localDockerSocket: null, ...options });
  const handlers = createServerHandlers({ paths, bus, secrets, pool, releases: { apps: () => [], live: async () => [], busy: () => new Map() } });
  const seen = new Map<Topic, unknown[]>();
  bus.onAny((topic, data) => seen.set(topic, [...(seen.get(topic) ?? []), data]));
  return {
    home,
    paths,
    bus,
    pool,
    async call(method, input) {
      const spec = serversMethods[method];
      const handler = handlers[method] as (input: ParsedInput<typeof method>, ctx: never) => Promise<unknown>;
      const value = await handler(spec.input.parse(input ?? {}) as ParsedInput<typeof method>, {} as never);
      return spec.output.parse(value) as Output<typeof method>;
    },
    events: <T extends Topic>(topic: T) => (seen.get(topic) ?? []) as Array<EventData<T>>,
    close: () => pool.closeAll(),
  };
}

/** A server definition for a sandbox server reached with its key file. */
export function keyServer(server: SandboxServer, name = server.name) {
  return { name, host: server.host, port: server.port, user: server.user, auth: { kind: 'key', keyPath: server.keyPath }, dockerSocket: server.dockerSocket };
}

export function trustSandbox(engine: TestEngine): void {
  for (const server of sandbox().servers) engine.pool.hostKeys.trustFingerprint(server.hostKeyFingerprint);
}

/** Local ports of the TCP connections this test process holds to `port` (others may use the sandbox meanwhile). */
export async function ownLocalPorts(port: number): Promise<number[]> {
  const { stdout } = await run('ss', ['-Htnp', 'state', 'established', `( dport = :${port} )`]);
  return stdout
    .split('\n')
    .filter((line) => line.includes(`pid=${process.pid},`))
    .map((line) => Number(/:(\d+)\s+\S+:\d+\s/.exec(line)?.[1]));
}

export async function ownConnections(port: number): Promise<number> {
  return (await ownLocalPorts(port)).length;
}

/** The sshd processes serving the connection from local port `localPort` to `port`. */
export async function sshdProcessesFor(port: number, localPort: number): Promise<number[]> {
  const { stdout } = await run('ss', ['-Htnp', 'state', 'established', `( sport = :${port} and dport = :${localPort} )`]);
  return [...stdout.matchAll(/pid=(\d+)/g)].map((match) => Number(match[1]));
}

/** The sandbox's restart-sshd script, run without blocking this process's event loop. */
export async function restartSshd(name: 's1' | 's2', ...args: string[]): Promise<void> {
  await run(sandbox().scripts.restartSshd, [name, ...args]);
}

export async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
