import { describe, expect, it } from 'vitest';
import { createLogsStore } from '../../../renderer/src/stores/logs';
import { fakeApi, flush } from './fake-api';

function fileOf(lines: number) {
  const all = Array.from({ length: lines }, (_, i) => ({ n: i + 1, at: `2026-11-25T10:00:${String(i % 60).padStart(2, '0')}Z`, stream: 'out' as const, text: `line ${i + 1}` }));
  return (input: { fromLine: number; limit: number }) => {
    const page = all.slice(input.fromLine - 1, input.fromLine - 1 + input.limit);
    const nextLine = input.fromLine + page.length;
    return { lines: page, nextLine, eof: nextLine > all.length };
  };
}

describe('the logs store', () => {
  it('reads a deployment’s whole log page by page into its buffer, several pages at a time once it is long', async () => {
    const fake = fakeApi({ 'logs.deployment': fileOf(25_000) });
    const store = createLogsStore(fake.api);
    const key = store.getState().openDeployment('s1', 'd1', false);
    await flush();
    await flush();
    await flush();
    expect(store.buffer(key).length).toBe(25_000);
    expect(store.buffer(key).text(24_999)).toBe('line 25000');
    expect(store.getState().sources[key]?.status).toBe('done');
    expect(fake.callsOf('logs.deployment').map((c) => (c as { fromLine: number }).fromLine)).toEqual([1, 10_001, 20_001, 30_001, 40_001]);
  });

  it('reads on from where it stopped when the engine says the log grew, without repeating lines', async () => {
    let size = 3;
    const fake = fakeApi({ 'logs.deployment': (input: { fromLine: number; limit: number }) => fileOf(size)(input) });
    const store = createLogsStore(fake.api);
    store.getState().start();
    const key = store.getState().openDeployment('s1', 'd1', true);
    await flush();
    size = 5;
    fake.emit('deployments.log', { serverId: 's1', deploymentId: 'd1', lines: [] });
    await flush();
    fake.connection(true);
    await flush();
    expect(store.buffer(key).toText()).toBe('line 1\nline 2\nline 3\nline 4\nline 5\n');
  });

  it('appends numbered lines the engine announces when they continue the log, and reads the file only for a gap', async () => {
    const fake = fakeApi({ 'logs.deployment': fileOf(3) });
    const store = createLogsStore(fake.api);
    store.getState().start();
    const key = store.getState().openDeployment('s1', 'd1', true);
    await flush();
    const announced = (n: number) => ({ n, at: '2026-11-25T10:00:59Z', stream: 'out' as const, text: `line ${n}` });
    fake.emit('deployments.log', { serverId: 's1', deploymentId: 'd1', lines: [announced(4), announced(5)] });
    fake.emit('deployments.log', { serverId: 's1', deploymentId: 'd1', lines: [announced(4)] });
    await flush();
    expect(store.buffer(key).toText()).toBe('line 1\nline 2\nline 3\nline 4\nline 5\n');
    expect(fake.callsOf('logs.deployment')).toHaveLength(1);
    fake.emit('deployments.log', { serverId: 's1', deploymentId: 'd1', lines: [announced(9)] });
    await flush();
    expect(fake.callsOf('logs.deployment').map((c) => (c as { fromLine: number }).fromLine)).toEqual([1, 6]);
  });

  it('continues a log it read before instead of reading it again from line 1', async () => {
    const fake = fakeApi({ 'logs.deployment': fileOf(4) });
    const store = createLogsStore(fake.api);
    const key = store.getState().openDeployment('s1', 'd1', false);
    await flush();
    store.getState().close(key);
    store.getState().openDeployment('s1', 'd1', false);
    await flush();
    expect(fake.callsOf('logs.deployment').map((c) => (c as { fromLine: number }).fromLine)).toEqual([1, 5]);
    expect(store.buffer(key).length).toBe(4);
  });

  it('follows an app and resumes after a dropped bridge without duplicate lines', async () => {
    let follows = 0;
    const fake = fakeApi({ 'logs.followApp': () => ({ followId: `f${++follows}`, containers: ['c1'] }), 'logs.unfollow': () => ({ stopped: true }) });
    const store = createLogsStore(fake.api);
    store.getState().start();
    const key = store.getState().openApp('s1', 'shop');
    await flush();
    const line = (at: string, text: string) => ({ stream: 'stdout' as const, text, at, container: 'c1' });
    fake.emit('logs.lines', { followId: 'f1', serverId: 's1', app: 'shop', lines: [line('10:00:01', 'a'), line('10:00:02', 'b')] });
    fake.connection(false);
    expect(store.getState().sources[key]?.reconnecting).toBe(true);
    fake.connection(true);
    await flush();
    expect(fake.callsOf('logs.followApp').at(-1)).toMatchObject({ since: '10:00:02', tail: 0 });
    fake.emit('logs.lines', { followId: 'f2', serverId: 's1', app: 'shop', lines: [line('10:00:02', 'b'), line('10:00:03', 'c')] });
    expect(store.buffer(key).toText()).toBe('a\nb\nc\n');
    expect(store.getState().sources[key]?.reconnecting).toBe(false);
  });

  it('keeps the backlog lines that arrive before the follow call answers', async () => {
    const fake = fakeApi({ 'logs.followApp': () => ({ followId: 'f1', containers: ['c1'] }) });
    const store = createLogsStore(fake.api);
    store.getState().start();
    const key = store.getState().openApp('s1', 'shop');
    fake.emit('logs.lines', { followId: 'f1', serverId: 's1', app: 'shop', lines: [{ stream: 'stdout', text: 'listening on :8080', at: '10:00:00', container: 'c1' }] });
    await flush();
    expect(store.buffer(key).toText()).toBe('listening on :8080\n');
  });

  it('says why a follow ended', async () => {
    const fake = fakeApi({ 'logs.followApp': () => ({ followId: 'f1', containers: [] }) });
    const store = createLogsStore(fake.api);
    store.getState().start();
    const key = store.getState().openApp('s1', 'shop');
    await flush();
    fake.emit('logs.ended', { followId: 'f1', reason: 'the container exited' });
    expect(store.getState().sources[key]).toMatchObject({ status: 'ended', endedReason: 'the container exited' });
  });

  it('stops the engine’s follow when the view closes', async () => {
    const fake = fakeApi({ 'logs.followApp': () => ({ followId: 'f1', containers: [] }), 'logs.unfollow': () => ({ stopped: true }) });
    const store = createLogsStore(fake.api);
    const key = store.getState().openApp('s1', 'shop');
    await flush();
    store.getState().close(key);
    expect(fake.callsOf('logs.unfollow')).toEqual([{ followId: 'f1' }]);
    expect(store.getState().sources[key]).toBeUndefined();
  });
});
