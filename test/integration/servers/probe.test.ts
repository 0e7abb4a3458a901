import { afterAll, describe, expect, it } from 'vitest';
import { createTestEngine, ownConnections, sandboxServer, trustSandbox } from './harness';

const s1 = sandboxServer('s1');
const s2 = sandboxServer('s2');
const engine = createTestEngine();
trustSandbox(engine);

afterAll(() => engine.close());

const probe = (server: typeof s1) =>
  engine.call('servers.probe', { host: server.host, port: server.port, user: server.user, keyPath: server.keyPath, dockerSocket: server.dockerSocket });

describe('probing a server before adding it', () => {
  it('reaches Docker through SSH and reports its version', async () => {
    await expect(probe(s1)).resolves.toMatchObject({
      dockerVersion: expect.stringMatching(/^\d+\.\d+/),
      apiVersion: expect.stringMatching(/^1\.\d+$/),
      os: expect.any(String),
      hostKeyFingerprint: s1.hostKeyFingerprint,
    });
  });

  it('tells the two sandbox daemons apart by their daemon IDs', async () => {
    const [one, two] = await Promise.all([probe(s1), probe(s2)]);
    expect(one.daemonId).not.toBe('');
    expect(two.daemonId).not.toBe(one.daemonId);
  });

  it('closes its connection when done', async () => {
    await probe(s1);
    await expect(ownConnections(s1.port)).resolves.toBe(0);
  });
});
