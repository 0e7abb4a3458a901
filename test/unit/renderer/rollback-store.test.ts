import { describe, expect, it } from 'vitest';
import type { RollbackPlan } from '../../../shared/api/rollback';
import { createRollbackStore } from '../../../renderer/src/stores/rollback';
import { fakeApi } from './fake-api';
import { deployment } from './fixtures';

const plan: RollbackPlan = {
  serverId: 's1',
  app: 'shop',
  mode: 'exact',
  target: { id: 'd3', seq: 3, title: 'Pin node 20', status: 'superseded' },
  live: { id: 'd5', seq: 5 },
  capable: false,
  reason: 'The image was removed on 2026-11-20 and no registry holds it.',
  via: null,
  refusal: { code: 'IMAGE_GONE', message: 'The image of #3 is gone.' },
  image: { from: null, to: null, changed: true },
  env: [],
  changes: [],
  unchanged: [],
  secretsKept: 0,
  notUndone: ['database migrations'],
  warnings: [],
};

describe('the rollback store', () => {
  it('shows only the answer to the newest question when the mode flips before the engine answers', async () => {
    const answers: Array<(p: RollbackPlan) => void> = [];
    const fake = fakeApi({ 'deployments.rollbackPlan': () => new Promise<RollbackPlan>((resolve) => answers.push(resolve)) });
    const store = createRollbackStore({ api: fake.api });
    const exact = store.getState().loadPlan('s1', 'shop', 'd3', 'exact');
    const redeploy = store.getState().loadPlan('s1', 'shop', 'd3', 'redeploy');
    answers[1]!({ ...plan, mode: 'redeploy' });
    await redeploy;
    answers[0]!(plan);
    await exact;
    expect(store.getState()).toMatchObject({ plan: { mode: 'redeploy' }, planLoading: false });
  });

  it('says why when the engine cannot make a plan', async () => {
    const fake = fakeApi();
    const store = createRollbackStore({ api: fake.api });
    await store.getState().loadPlan('s1', 'shop', 'd3', 'exact');
    expect(store.getState()).toMatchObject({ plan: undefined, planLoading: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('asks the engine for the plan of the chosen target and mode', async () => {
    const fake = fakeApi({ 'deployments.rollbackPlan': () => plan });
    const store = createRollbackStore({ api: fake.api });
    await store.getState().loadPlan('s1', 'shop', 'd3', 'redeploy');
    expect(store.getState().plan?.refusal?.code).toBe('IMAGE_GONE');
    expect(fake.callsOf('deployments.rollbackPlan')).toEqual([{ serverId: 's1', app: 'shop', target: 'd3', mode: 'redeploy' }]);
  });

  it('starts a rollback and hands the new deployment on', async () => {
    const started: string[] = [];
    const fake = fakeApi({ 'deployments.rollback': () => deployment(9, { kind: 'rollback', status: 'queued' }) });
    const store = createRollbackStore({ api: fake.api, started: (d) => started.push(d.id) });
    const d = await store.getState().rollback('s1', 'shop', 'd3', 'exact');
    expect(d?.kind).toBe('rollback');
    expect(started).toEqual(['d9']);
    expect(store.getState().busy).toBe(false);
  });

  it('redeploys as a rollback run with today’s config', async () => {
    const fake = fakeApi({ 'deployments.rollback': () => deployment(10, { kind: 'redeploy', status: 'queued' }) });
    const store = createRollbackStore({ api: fake.api });
    await store.getState().redeploy('s1', 'shop', 'd3');
    expect(fake.callsOf('deployments.rollback')).toEqual([{ serverId: 's1', app: 'shop', target: 'd3', mode: 'redeploy' }]);
  });

  it('keeps the coded error when a rollback is refused', async () => {
    const fake = fakeApi({
      'deployments.rollback': () => {
        throw Object.assign(new Error('The image of #3 is gone.'), { code: 'IMAGE_GONE' });
      },
    });
    const store = createRollbackStore({ api: fake.api });
    expect(await store.getState().rollback('s1', 'shop', 'd3', 'exact')).toBeUndefined();
    expect(store.getState().error).toEqual({ code: 'IMAGE_GONE', message: 'The image of #3 is gone.' });
  });

  it('passes on the record a pin changed', async () => {
    const changed: string[] = [];
    const fake = fakeApi({ 'deployments.pin': () => deployment(3, { pinned: true }) });
    const store = createRollbackStore({ api: fake.api, changed: (d) => changed.push(d.id) });
    expect(await store.getState().pin('s1', 'd3', true)).toBe(true);
    expect(changed).toEqual(['d3']);
  });

  it('keeps each app’s rollback settings after saving them', async () => {
    const settings = { keepLast: 8, watchMs: 60_000, watchFailures: 3, autoRollback: true, cacheOnLaptop: false, registry: null };
    const fake = fakeApi({ 'rollback.updateSettings': () => settings });
    const store = createRollbackStore({ api: fake.api });
    await store.getState().updateSettings('s1', 'shop', { keepLast: 8 });
    expect(store.getState().settings['s1/shop']).toEqual(settings);
  });
});
