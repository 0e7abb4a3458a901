import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followContainerLogs, type LogLine } from '../../../electron/core/docker/log-follow';
import type { ServerLink } from '../../../electron/core/ssh/server-link';
import { createTestEngine, keyServer, ownLocalPorts, restartSshd, sandbox, sandboxServer, sshdProcessesFor, trustSandbox, waitFor } from './harness';

const s1 = sandboxServer('s1');
const s2 = sandboxServer('s2');
const engine = createTestEngine();
trustSandbox(engine);
const containers: Docker.Container[] = [];
let one: ServerLink;
let two: ServerLink;
let s1Id = '';
let s2Id = '';

beforeAll(async () => {
  s1Id = (await engine.call('servers.add', keyServer(s1))).id;
  s2Id = (await engine.call('servers.add', keyServer(s2))).id;
  one = await engine.pool.acquire(s1Id);
  two = await engine.pool.acquire(s2Id);
});

afterAll(async () => {
  await Promise.all(containers.map((container) => container.remove({ force: true })));
  engine.pool.release(s1Id);
  engine.pool.release(s2Id);
  await engine.close();
});

async function startContainer(cmd: string): Promise<Docker.Container> {
  const container = await one.docker.createContainer({ Image: sandbox().images.base, Cmd: ['sh', '-c', cmd], HostConfig: { Init: true } });
  containers.push(container);
  await container.start();
  return container;
}

describe('when a server drops', () => {
  afterAll(async () => {
    await restartSshd('s1', '--start');
    await engine.pool.whenConnected(s1Id);
  });

  it('reconnects by itself and a log follow resumes with no line lost or repeated, while the other server carries on', async () => {
    const counter = await startContainer('i=0; while true; do i=$((i+1)); if [ $((i % 3)) = 0 ]; then echo "n $i" >&2; else echo "n $i"; fi; sleep 0.05; done');
    const lines: LogLine[] = [];
    const abort = new AbortController();
    let reconnects = 0;
    const follow = followContainerLogs(engine.pool, s1Id, counter.id, { signal: abort.signal, onReconnecting: () => (reconnects += 1) }, (line) => lines.push(line));

    let s2Calls = 0;
    const s2Failures: unknown[] = [];
    let pinging = true;
    const pings = (async () => {
      while (pinging) {
        await two.docker.ping().then(() => (s2Calls += 1), (error: unknown) => s2Failures.push(error));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    await waitFor(() => lines.length >= 20);
    await restartSshd('s1', '--down', '2500');
    await waitFor(() => engine.pool.status(s1Id).state === 'connected');
    const resumedAt = lines.length;
    await waitFor(() => lines.length >= resumedAt + 20);
    abort.abort();
    pinging = false;
    await pings;

    await expect(follow).resolves.toBe('aborted');
    const numbers = lines.map((line) => Number(line.text.split(' ')[1]));
    const first = numbers[0] ?? 0;
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, index) => first + index));
    expect(lines.filter((line) => line.stream === 'stderr').every((line) => Number(line.text.split(' ')[1]) % 3 === 0)).toBe(true);
    expect(reconnects).toBeGreaterThanOrEqual(1);
    const states = engine.events('servers.status').filter((status) => status.serverId === s1Id).map((status) => status.state);
    expect(states).toEqual(expect.arrayContaining(['unreachable', 'connecting', 'connected']));
    expect(s2Failures).toEqual([]);
    expect(s2Calls).toBeGreaterThan(20);
    expect(engine.events('servers.status').filter((status) => status.serverId === s2Id && status.state !== 'connected')).toEqual([
      expect.objectContaining({ state: 'connecting' }),
    ]);
  });

  it('fails calls in flight with SSH_DISCONNECTED, and new calls at once while it is down', async () => {
    const sleeper = await startContainer('sleep 300');
    const commandFails = expect(one.exec('sleep 30')).rejects.toMatchObject({ code: 'SSH_DISCONNECTED' });
    const waitFails = expect(sleeper.wait()).rejects.toMatchObject({ code: 'SSH_DISCONNECTED' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await restartSshd('s1', '--stop');
    await commandFails;
    await waitFails;
    await waitFor(() => engine.pool.status(s1Id).state === 'unreachable');
    const started = Date.now();
    await expect(one.docker.ping()).rejects.toMatchObject({ code: 'SSH_DISCONNECTED' });
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(two.docker.ping()).resolves.toBeDefined();
  });
});

describe('when a server stops answering without closing the connection', () => {
  const frozen: number[] = [];
  const quick = createTestEngine({ timings: { keepaliveIntervalMs: 300, keepaliveCountMax: 2 } });
  trustSandbox(quick);

  afterAll(async () => {
    for (const pid of frozen) process.kill(pid, 'SIGCONT');
    await quick.close();
  });

  it('notices through keepalives, fails what was in flight and reconnects', async () => {
    const id = (await quick.call('servers.add', keyServer(s1))).id;
    const before = await ownLocalPorts(s1.port);
    const link = await quick.pool.acquire(id);
    const [localPort] = (await ownLocalPorts(s1.port)).filter((candidate) => !before.includes(candidate));
    frozen.push(...(await sshdProcessesFor(s1.port, localPort ?? 0)));
    expect(frozen.length).toBeGreaterThan(0);
    const commandFails = expect(link.exec('sleep 5')).rejects.toMatchObject({ code: 'SSH_DISCONNECTED' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    await commandFails;
    await quick.pool.whenConnected(id);
    await expect(link.docker.ping()).resolves.toBeDefined();
    quick.pool.release(id);
  });
});
