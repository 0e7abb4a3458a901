import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { followContainerLogs } from '../../../electron/core/docker/log-follow';
import type { ServerLink } from '../../../electron/core/ssh/server-link';
import type { SshServerLink } from '../../../electron/core/ssh/ssh-link';
import { createTestEngine, keyServer, ownConnections, sandbox, sandboxServer, trustSandbox, waitFor } from './harness';

const s1 = sandboxServer('s1');
const s2 = sandboxServer('s2');
const engine = createTestEngine();
trustSandbox(engine);
let link: ServerLink;
let serverId = '';

beforeAll(async () => {
  serverId = (await engine.call('servers.add', keyServer(s1))).id;
  link = await engine.pool.acquire(serverId);
});

afterAll(async () => {
  engine.pool.release(serverId);
  await engine.close();
});

describe('a server link', () => {
  it('runs 200 concurrent Docker calls over one SSH connection', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, (_, index) => (index % 2 === 0 ? link.docker.ping() : link.docker.listContainers({ all: true }))));
    expect(results).toHaveLength(200);
    await expect(ownConnections(s1.port)).resolves.toBe(1);
  });

  it('reuses its Docker channels from one call to the next', async () => {
    await link.docker.ping();
    await link.docker.ping();
    await expect(ownConnections(s1.port)).resolves.toBe(1);
  });

  it('runs a command with stdin and reports its exit code and stderr', async () => {
    await expect(link.exec('cat; echo oops >&2; exit 3', { stdin: 'hello' })).resolves.toEqual({ code: 3, stdout: 'hello', stderr: 'oops\n' });
  });

  it('streams a command\'s output as it arrives', async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const result = await link.exec('for i in 1 2 3; do echo $i; sleep 0.05; done', { stdout: out });
    expect(result.stdout).toBe('');
    expect(chunks.join('')).toBe('1\n2\n3\n');
    expect(chunks.length).toBeGreaterThan(1);
  });

  it('stops a command that outlives its timeout', async () => {
    await expect(link.exec('sleep 10', { timeoutMs: 200 })).rejects.toMatchObject({ code: 'COMMAND_TIMEOUT' });
  });

  it('cancels a command when its signal aborts', async () => {
    const abort = new AbortController();
    const running = link.exec('sleep 10', { signal: abort.signal });
    setTimeout(() => abort.abort(), 100);
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('opens a TCP tunnel to an address the server can reach', async () => {
    const tunnel = await link.forwardOut(s2.host, s2.port);
    const banner = await new Promise<string>((resolve) => tunnel.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    tunnel.destroy();
    expect(banner).toMatch(/^SSH-2\.0-OpenSSH/);
  });

  it('reports a tunnel to a closed port as refused', async () => {
    await expect(link.forwardOut('127.0.0.1', 1)).rejects.toMatchObject({ code: 'CONNECTION_REFUSED' });
  });

  it('shows Docker, OS, CPU, memory, disk and swarm state in the overview', async () => {
    const overview = await engine.call('servers.overview', { serverId });
    expect(overview.status.state).toBe('connected');
    expect(overview.docker).toMatchObject({
      version: expect.stringMatching(/^\d+\./),
      dockerRootDir: expect.stringContaining('/s1/'),
      swarm: 'inactive',
      swarmManager: false,
      cpus: expect.any(Number),
      disk: { freeBytes: expect.any(Number), totalBytes: expect.any(Number) },
    });
    expect(overview.docker?.memoryBytes).toBeGreaterThan(0);
    expect(overview.docker?.disk?.freeBytes).toBeGreaterThan(0);
  });

  it('shows a swarm manager as such', async () => {
    const two = await engine.call('servers.add', keyServer(s2));
    const overview = await engine.call('servers.overview', { serverId: two.id });
    expect(overview.docker).toMatchObject({ swarm: 'active', swarmManager: true });
  });

  it('explains in the overview why a server cannot be reached', async () => {
    const down = await engine.call('servers.add', { ...keyServer(s1, 'unreachable'), host: 'nowhere.invalid' });
    const overview = await engine.call('servers.overview', { serverId: down.id });
    expect(overview).toMatchObject({ docker: null, error: { code: 'DNS_FAILED' }, status: { state: 'unreachable' } });
  });

  it('closes the channel of a log follow that is aborted', async () => {
    const container = await link.docker.createContainer({ Image: sandbox().images.base, Cmd: ['sh', '-c', 'while true; do echo tick; sleep 0.05; done'], HostConfig: { Init: true } });
    onTestFinished(() => container.remove({ force: true }));
    await container.start();
    const abort = new AbortController();
    let lines = 0;
    const follow = followContainerLogs(engine.pool, serverId, container.id, { signal: abort.signal, tail: 0 }, () => (lines += 1));
    await waitFor(() => lines >= 3);
    abort.abort();
    await expect(follow).resolves.toBe('aborted');
    const inUse = () => Object.values((link as SshServerLink).agent.sockets).flat().length;
    await waitFor(() => inUse() === 0);
    expect(inUse()).toBe(0);
  });

  it('pushes a status event each time a server\'s state changes', async () => {
    const events = engine.events('servers.status').filter((status) => status.serverId === serverId);
    expect(events.map((status) => status.state)).toEqual(['connecting', 'connected']);
  });
});
