import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { HomeStore } from '../../../electron/core/store/home-store';
import { createTestEngine, keyServer, sandboxServer, type TestEngine } from './harness';

const run = promisify(execFile);
const s1 = sandboxServer('s1');
const s2 = sandboxServer('s2');
const hostKey = (server: typeof s1): string => readFileSync(server.hostPublicKeyPath, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');

let engine: TestEngine;

afterEach(() => engine.close());

/** Answers the next host-key question the way a user would, once it shows up on the bus. */
function answerNextPrompt(accept: boolean) {
  return new Promise<{ fingerprint: string; keyType: string }>((resolve) => {
    const off = engine.bus.on('hostKeys.prompt', (prompt) => {
      off();
      void engine.call('hostKeys.answer', { promptId: prompt.promptId, accept }).then(() => resolve(prompt));
    });
  });
}

describe('host keys', () => {
  it('asks about an unknown host with its SHA256 fingerprint and connects once accepted', async () => {
    engine = createTestEngine();
    const server = await engine.call('servers.add', keyServer(s1));
    const asked = answerNextPrompt(true);
    await expect(engine.call('servers.connect', { serverId: server.id })).resolves.toMatchObject({ state: 'connected' });
    await expect(asked).resolves.toEqual(expect.objectContaining({ fingerprint: s1.hostKeyFingerprint, keyType: 'ssh-ed25519' }));
    expect(engine.events('servers.status').map((status) => status.state)).toEqual(['connecting', 'host-key-pending', 'connected']);
  });

  it('does not ask again once a key was accepted', async () => {
    engine = createTestEngine();
    const server = await engine.call('servers.add', keyServer(s1));
    void answerNextPrompt(true);
    await engine.call('servers.connect', { serverId: server.id });
    await engine.pool.drop(server.id);
    await engine.call('servers.connect', { serverId: server.id });
    expect(engine.events('hostKeys.prompt')).toHaveLength(1);
  });

  it('refuses to connect when the user rejects the key', async () => {
    engine = createTestEngine();
    const server = await engine.call('servers.add', keyServer(s1));
    void answerNextPrompt(false);
    await expect(engine.call('servers.connect', { serverId: server.id })).rejects.toMatchObject({ code: 'HOST_KEY_REJECTED' });
    expect(engine.pool.status(server.id)).toMatchObject({ state: 'unreachable', error: { code: 'HOST_KEY_REJECTED' } });
  });

  it('refuses a host whose key differs from the one Berth trusted, naming both fingerprints', async () => {
    engine = createTestEngine();
    const [type, key] = hostKey(s2).split(' ');
    HomeStore.open(engine.paths.home)
      .document<unknown>('trusted-hosts', () => null)
      .write({ version: 1, hosts: [{ host: s1.host, port: s1.port, keyType: type, fingerprint: s2.hostKeyFingerprint, key, addedAt: new Date().toISOString() }] });
    const server = await engine.call('servers.add', keyServer(s1));
    await expect(engine.call('servers.connect', { serverId: server.id })).rejects.toMatchObject({
      code: 'HOST_KEY_CHANGED',
      details: { oldFingerprints: [s2.hostKeyFingerprint], newFingerprint: s1.hostKeyFingerprint },
      message: expect.stringContaining('Forget host key'),
    });
    expect(engine.events('hostKeys.prompt')).toEqual([]);
  });

  it('accepts a host recorded, hashed, in known_hosts', async () => {
    const knownHosts = join(mkdtempSync(join(tmpdir(), 'berth-kh-')), 'known_hosts');
    writeFileSync(knownHosts, `[${s1.host}]:${s1.port} ${hostKey(s1)}\n`);
    await run('ssh-keygen', ['-H', '-f', knownHosts]);
    expect(readFileSync(knownHosts, 'utf8')).toMatch(/^\|1\|/);
    engine = createTestEngine({ knownHostsPath: knownHosts });
    engine.pool.hostKeys.setInteractive(false);
    const server = await engine.call('servers.add', keyServer(s1));
    await expect(engine.call('servers.connect', { serverId: server.id })).resolves.toMatchObject({ state: 'connected' });
    expect(engine.events('hostKeys.prompt')).toEqual([]);
  });

  it('connects without asking when the fingerprint was accepted in advance', async () => {
    engine = createTestEngine({ trustedFingerprints: [s1.hostKeyFingerprint] });
    const server = await engine.call('servers.add', keyServer(s1));
    await expect(engine.call('servers.connect', { serverId: server.id })).resolves.toMatchObject({ state: 'connected' });
    expect(engine.events('hostKeys.prompt')).toEqual([]);
  });

  it('asks again after Berth forgets the key', async () => {
    engine = createTestEngine();
    const server = await engine.call('servers.add', keyServer(s1));
    void answerNextPrompt(true);
    await engine.call('servers.connect', { serverId: server.id });
    await engine.pool.drop(server.id);
    await expect(engine.call('hostKeys.forget', { host: s1.host, port: s1.port })).resolves.toEqual({ removed: 1 });
    const askedAgain = answerNextPrompt(true);
    await engine.call('servers.connect', { serverId: server.id });
    await expect(askedAgain).resolves.toMatchObject({ fingerprint: s1.hostKeyFingerprint });
  });

  it('fails at once with HOST_KEY_UNKNOWN when nobody can answer', async () => {
    engine = createTestEngine();
    engine.pool.hostKeys.setInteractive(false);
    const server = await engine.call('servers.add', keyServer(s1));
    await expect(engine.call('servers.connect', { serverId: server.id })).rejects.toMatchObject({
      code: 'HOST_KEY_UNKNOWN',
      details: { fingerprint: s1.hostKeyFingerprint },
    });
  });
});
