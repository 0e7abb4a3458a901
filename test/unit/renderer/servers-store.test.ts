import { describe, expect, it } from 'vitest';
import { createServersStore } from '../../../renderer/src/stores/servers';
import { fakeApi, flush } from './fake-api';
import { server } from './fixtures';

const prompt = { promptId: 'p1', host: '127.0.0.1', port: 42201, keyType: 'ssh-ed25519', fingerprint: 'SHA256:abc' };

describe('the servers store', () => {
  it('loads servers, their statuses and pending host keys together', async () => {
    const fake = fakeApi({
      'servers.list': () => [server('s1'), server('s2')],
      'servers.status': () => [{ serverId: 's1', state: 'connected', since: 'x' }],
      'hostKeys.pending': () => [prompt],
    });
    const store = createServersStore(fake.api);
    await store.getState().load();
    expect(store.getState().servers.map((s) => s.id)).toEqual(['s1', 's2']);
    expect(store.getState().statuses.s1?.state).toBe('connected');
    expect(store.getState().prompts).toEqual([prompt]);
  });

  it('keeps a status per server from the engine’s events', () => {
    const fake = fakeApi();
    const store = createServersStore(fake.api);
    store.getState().start();
    fake.emit('servers.status', { serverId: 's1', state: 'connecting', since: 'a' });
    fake.emit('servers.status', { serverId: 's1', state: 'unreachable', since: 'b' });
    expect(store.getState().statuses.s1?.state).toBe('unreachable');
  });

  it('shows a host-key prompt until it is answered, and sends the answer', async () => {
    const fake = fakeApi({ 'hostKeys.answer': () => ({ answered: true }) });
    const store = createServersStore(fake.api);
    store.getState().start();
    fake.emit('hostKeys.prompt', prompt);
    expect(store.getState().prompts).toHaveLength(1);
    await store.getState().answerHostKey('p1', true);
    expect(store.getState().prompts).toHaveLength(0);
    expect(fake.callsOf('hostKeys.answer')).toEqual([{ promptId: 'p1', accept: true }]);
  });

  it('drops a prompt another window answered', () => {
    const fake = fakeApi();
    const store = createServersStore(fake.api);
    store.getState().start();
    fake.emit('hostKeys.prompt', prompt);
    fake.emit('hostKeys.resolved', { promptId: 'p1', accepted: false });
    expect(store.getState().prompts).toHaveLength(0);
  });

  it('marks a server unreachable with the coded error when connecting fails', async () => {
    const fake = fakeApi({
      'servers.connect': () => {
        throw Object.assign(new Error('Permission denied'), { code: 'AUTH_FAILED' });
      },
    });
    const store = createServersStore(fake.api);
    expect(await store.getState().connect('s1')).toBeUndefined();
    expect(store.getState().statuses.s1).toMatchObject({ state: 'unreachable', error: { code: 'AUTH_FAILED', message: 'Permission denied' } });
  });

  it('adds, updates and removes servers in its list', async () => {
    const fake = fakeApi({
      'servers.add': (input: { name: string }) => server('s3', { name: input.name }),
      'servers.update': () => server('s3', { name: 'renamed' }),
      'servers.remove': () => ({ removed: true }),
    });
    const store = createServersStore(fake.api);
    await store.getState().add({ name: 'three', host: 'h', auth: { kind: 'agent' } });
    expect(store.getState().servers.map((s) => s.name)).toEqual(['three']);
    await store.getState().update('s3', { name: 'renamed' });
    expect(store.getState().servers[0]?.name).toBe('renamed');
    await store.getState().remove('s3');
    expect(store.getState().servers).toEqual([]);
  });

  it('reloads everything when the bridge comes back', async () => {
    const fake = fakeApi({ 'servers.list': () => [server('s1')], 'servers.status': () => [], 'hostKeys.pending': () => [] });
    const store = createServersStore(fake.api);
    store.getState().start();
    fake.connection(true);
    await flush();
    expect(store.getState().servers).toHaveLength(1);
  });

  it('keeps the last overview when a refresh fails, with the error beside it', async () => {
    let fail = false;
    const overview = { serverId: 's1', status: { serverId: 's1', state: 'connected' as const, since: 'x' }, docker: null, refreshedAt: 'now' };
    const fake = fakeApi({
      'servers.overview': () => {
        if (fail) throw Object.assign(new Error('gone'), { code: 'SSH_DISCONNECTED' });
        return overview;
      },
    });
    const store = createServersStore(fake.api);
    await store.getState().loadOverview('s1');
    fail = true;
    await store.getState().loadOverview('s1');
    expect(store.getState().overviews.s1).toMatchObject({ data: overview, loading: false, error: { code: 'SSH_DISCONNECTED' } });
  });
});

describe('a changed host key', () => {
  it('is forgotten for that host and port only, then the server connects again', async () => {
    const fake = fakeApi({
      'servers.list': () => [server('s1', { host: '10.0.0.5', port: 2222 })],
      'servers.status': () => [],
      'hostKeys.pending': () => [],
      'hostKeys.forget': () => ({ removed: 1 }),
      'servers.connect': () => ({ serverId: 's1', state: 'host-key-pending', since: 'x' }),
    });
    const store = createServersStore(fake.api);
    await store.getState().load();
    await store.getState().forgetHostKey('s1');
    expect(fake.callsOf('hostKeys.forget')).toEqual([{ host: '10.0.0.5', port: 2222 }]);
    expect(store.getState().statuses.s1?.state).toBe('host-key-pending');
  });
});
