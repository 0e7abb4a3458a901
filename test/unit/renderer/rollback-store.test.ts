import { describe, expect, it } from 'vitest';
import { createRollbackStore, pendingMethods } from '../../../renderer/src/stores/rollback';
import { fakeApi } from './fake-api';
import { deployment } from './fixtures';

describe('the rollback store', () => {
  it('falls back to the plan drawn from the records while the engine has no plan method', async () => {
    const fake = fakeApi();
    const store = createRollbackStore({ api: fake.api });
    await store.getState().loadPlan('s1', 'shop', 'd3', 'exact');
    expect(store.getState()).toMatchObject({ plan: undefined, planLoading: false, error: undefined });
  });

  it('uses the engine’s plan when it answers', async () => {
    const fake = fakeApi({ [pendingMethods.plan]: () => ({ capable: false, reason: 'image removed; no registry' }) });
    const store = createRollbackStore({ api: fake.api });
    await store.getState().loadPlan('s1', 'shop', 'd3', 'image');
    expect(store.getState().plan).toEqual({ capable: false, reason: 'image removed; no registry' });
    expect(fake.callsOf(pendingMethods.plan)).toEqual([{ serverId: 's1', app: 'shop', deploymentId: 'd3', mode: 'image' }]);
  });

  it('starts a rollback and hands the new deployment on', async () => {
    const started: string[] = [];
    const fake = fakeApi({ [pendingMethods.rollback]: () => deployment(9, { kind: 'rollback', status: 'queued' }) });
    const store = createRollbackStore({ api: fake.api, started: (d) => started.push(d.id) });
    const d = await store.getState().rollback('s1', 'shop', 'd3', 'exact');
    expect(d?.kind).toBe('rollback');
    expect(started).toEqual(['d9']);
    expect(store.getState().busy).toBe(false);
  });

  it('keeps the coded error when a rollback is refused', async () => {
    const fake = fakeApi({
      [pendingMethods.rollback]: () => {
        throw Object.assign(new Error('The image of #3 is gone.'), { code: 'IMAGE_GONE' });
      },
    });
    const store = createRollbackStore({ api: fake.api });
    expect(await store.getState().rollback('s1', 'shop', 'd3', 'exact')).toBeUndefined();
    expect(store.getState().error).toEqual({ code: 'IMAGE_GONE', message: 'The image of #3 is gone.' });
  });

  it('reloads a record after pinning it', async () => {
    const changed: string[] = [];
    const fake = fakeApi({ [pendingMethods.pin]: () => ({ pinned: true }) });
    const store = createRollbackStore({ api: fake.api, changed: (_s, id) => changed.push(id) });
    expect(await store.getState().pin('s1', 'd3', true)).toBe(true);
    expect(changed).toEqual(['d3']);
  });
});
