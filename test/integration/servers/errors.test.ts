import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEngine, keyServer, sandboxServer, trustSandbox } from './harness';

const run = promisify(execFile);
const s1 = sandboxServer('s1');
const engine = createTestEngine({ timings: { timeoutMs: 1_500 } });
trustSandbox(engine);
const scratch = mkdtempSync(join(tmpdir(), 'berth-errors-'));
let silent: Server;
let silentPort = 0;
let closedPort = 0;

beforeAll(async () => {
  // Accepts TCP and never says a word, like a server behind a black-holing firewall once connected.
  silent = createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as { port: number }).port;
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
});

afterAll(async () => {
  await engine.close();
  silent.close();
});

async function connectWith(overrides: Record<string, unknown>, name: string) {
  const server = await engine.call('servers.add', { ...keyServer(s1, name), ...overrides });
  return engine.call('servers.connect', { serverId: server.id });
}

describe('failures a user can act on', () => {
  it('says which key was refused when authentication fails', async () => {
    await expect(connectWith({ auth: { kind: 'key', keyPath: s1.wrongKeyPath } }, 'wrong key')).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringContaining(`Tried: key ${s1.wrongKeyPath}`),
    });
  });

  it('reports a port nobody listens on as refused', async () => {
    await expect(connectWith({ port: closedPort }, 'wrong port')).rejects.toMatchObject({
      code: 'CONNECTION_REFUSED',
      message: expect.stringMatching(/refused the connection/),
    });
  });

  it('reports a host name that does not resolve', async () => {
    await expect(connectWith({ host: 'no-such-server.invalid' }, 'bad name')).rejects.toMatchObject({
      code: 'DNS_FAILED',
      message: expect.stringContaining('no-such-server.invalid'),
    });
  });

  it('gives up on a server that never speaks SSH', async () => {
    await expect(connectWith({ port: silentPort }, 'silent')).rejects.toMatchObject({ code: 'CONNECT_TIMEOUT' });
  });

  it('reports a missing Docker socket and where it looked', async () => {
    await expect(connectWith({ dockerSocket: '/tmp/berth-no-such/docker.sock' }, 'bad socket')).rejects.toMatchObject({
      code: 'DOCKER_SOCKET_MISSING',
      message: expect.stringContaining('/tmp/berth-no-such/docker.sock'),
    });
  });

  it('reports a socket nobody answers on as the daemon being down', async () => {
    const stale = join(scratch, 'stale.sock');
    // A bound, never-listening unix socket: what a crashed daemon leaves behind.
    await run('python3', ['-c', `import socket; socket.socket(socket.AF_UNIX).bind(${JSON.stringify(stale)})`]);
    await expect(connectWith({ dockerSocket: stale }, 'daemon down')).rejects.toMatchObject({ code: 'DOCKER_DAEMON_DOWN' });
  });

  it('reports an unreadable key file with its path', async () => {
    await expect(connectWith({ auth: { kind: 'key', keyPath: join(scratch, 'absent_ed25519') } }, 'no key')).rejects.toMatchObject({
      code: 'KEY_UNREADABLE',
      message: expect.stringContaining('absent_ed25519'),
    });
  });

  it('asks for the passphrase of an encrypted key, then connects with the one stored', async () => {
    const locked = join(scratch, 'locked_ed25519');
    copyFileSync(s1.keyPath, locked);
    await run('ssh-keygen', ['-q', '-p', '-N', 'sandbox passphrase', '-f', locked]);
    const server = await engine.call('servers.add', { ...keyServer(s1, 'locked key'), auth: { kind: 'key', keyPath: locked } });
    await expect(engine.call('servers.connect', { serverId: server.id })).rejects.toMatchObject({ code: 'PASSPHRASE_REQUIRED' });
    await engine.call('servers.setPassphrase', { serverId: server.id, passphrase: 'sandbox passphrase' });
    await expect(engine.call('servers.connect', { serverId: server.id })).resolves.toMatchObject({ state: 'connected' });
  });

  it('does not retry a failed authentication by itself', async () => {
    const server = await engine.call('servers.add', { ...keyServer(s1, 'no retry'), auth: { kind: 'key', keyPath: s1.wrongKeyPath } });
    await expect(engine.call('servers.connect', { serverId: server.id })).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const attempts = engine.events('servers.status').filter((status) => status.serverId === server.id && status.state === 'connecting');
    expect(attempts).toHaveLength(1);
    expect(engine.pool.status(server.id).retryAt).toBeUndefined();
  });
});
