import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ServerInput, serversMethods } from '../../../shared/api/servers';
import { ServerStore } from '../../../electron/core/servers/server-store';
import { KeyFileSecrets } from '../../../electron/core/store/key-file-secrets';
import { storeBytes } from '../../support/store-bytes';

function store(localSocket: string | null = null) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-store-'));
  const servers = new ServerStore({
    home: dir,
    secrets: new KeyFileSecrets(join(dir, 'secret.key')),
    localSocket: () => localSocket,
  });
  return { servers, dir };
}

const web = ServerInput.parse({ name: 'Web 1', host: 'web1.example.com', auth: { kind: 'key', keyPath: '/keys/id_ed25519' } });

describe('server store', () => {
  it('adds a server with defaults and an id made from its name', () => {
    const { servers } = store();
    const added = servers.add(web);
    expect(added).toMatchObject({ id: 'web-1', port: 22, user: 'root', dockerSocket: '/var/run/docker.sock', builtin: false });
    expect(servers.list()).toEqual([added]);
  });

  it('refuses a second server with the same name', () => {
    const { servers } = store();
    servers.add(web);
    expect(() => servers.add({ ...web, name: 'web 1' })).toThrow(expect.objectContaining({ code: 'SERVER_EXISTS' }));
  });

  it('keeps ids unique when names differ only in punctuation', () => {
    const { servers } = store();
    servers.add(web);
    expect(servers.add({ ...web, name: 'Web-1!' }).id).toBe('web-1-2');
  });

  it('updates only the fields given', () => {
    const { servers } = store();
    const added = servers.add(web);
    const updated = servers.update(added.id, { port: 2222, label: 'prod' });
    expect(updated).toMatchObject({ id: added.id, name: 'Web 1', port: 2222, label: 'prod', createdAt: added.createdAt });
  });

  it('keeps every field an edit through the contract leaves out', () => {
    const { servers } = store();
    const added = servers.add({ ...web, port: 2222, user: 'deploy' });
    const { patch } = serversMethods['servers.update'].input.parse({ serverId: added.id, patch: { label: 'staging' } });
    expect(servers.update(added.id, patch)).toMatchObject({ port: 2222, user: 'deploy', label: 'staging' });
  });

  it('reports an unknown server as SERVER_NOT_FOUND', () => {
    const { servers } = store();
    expect(() => servers.get('nope')).toThrow(expect.objectContaining({ code: 'SERVER_NOT_FOUND' }));
  });

  it('lists "This computer" first while a local Docker socket exists', () => {
    const { servers } = store('/var/run/docker.sock');
    servers.add(web);
    expect(servers.list().map((server) => server.id)).toEqual(['local', 'web-1']);
    expect(servers.get('local')).toMatchObject({ builtin: true, auth: { kind: 'local' }, dockerSocket: '/var/run/docker.sock' });
  });

  it('never lets "This computer" be removed', () => {
    const { servers } = store('/var/run/docker.sock');
    expect(() => servers.remove('local')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('keeps a key passphrase only sealed on disk', async () => {
    const { servers, dir } = store();
    const added = servers.add(web);
    await servers.setPassphrase(added.id, 'correct horse battery');
    expect(storeBytes(dir)).toContain('passphrases');
    expect(storeBytes(dir)).not.toContain('correct horse');
    await expect(servers.passphrase(added.id)).resolves.toBe('correct horse battery');
  });

  it('drops the sealed passphrase with the server', async () => {
    const { servers } = store();
    const added = servers.add(web);
    await servers.setPassphrase(added.id, 'secret');
    expect(servers.remove(added.id)).toBe(true);
    await expect(servers.passphrase(added.id)).resolves.toBeUndefined();
  });
});
