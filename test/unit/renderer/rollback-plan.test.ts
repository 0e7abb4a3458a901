import { describe, expect, it } from 'vitest';
import { diffEnv, planView, rollbackCapability } from '../../../renderer/src/lib/rollback-plan';
import { phasesOf } from '../../../renderer/src/features/deployments/phases';
import { statusLook } from '../../../renderer/src/lib/status';
import { app, deployment } from './fixtures';

describe('the rollback plan drawn from the records', () => {
  it('lists added, removed and changed variables, never a secret’s value', () => {
    const { env, secretsKept } = diffEnv(
      [
        { key: 'POOL', value: '10', secret: false },
        { key: 'FEATURE_X', value: 'on', secret: false },
        { key: 'TOKEN', value: null, secret: true },
      ],
      [
        { key: 'POOL', value: '5', secret: false },
        { key: 'LEGACY', value: null, secret: true },
        { key: 'TOKEN', value: null, secret: true },
      ],
    );
    expect(env).toEqual([
      { key: 'FEATURE_X', kind: 'removed', secret: false, from: 'on', to: null },
      { key: 'LEGACY', kind: 'added', secret: true, from: null, to: null },
      { key: 'POOL', kind: 'changed', secret: false, from: '10', to: '5' },
    ]);
    expect(secretsKept).toBe(1);
  });

  it('compares limits with today’s config when the image runs with it', () => {
    const live = deployment(42, { status: 'live', config: { ...deployment(42).config, limits: { memoryMb: 512 } } });
    const target = deployment(39, { config: { ...deployment(39).config, limits: { memoryMb: 256 } } });
    const today = app('shop', 's1');
    const exact = planView(target, live, today, 'exact').rows.find((r) => r.label === 'Limits');
    const image = planView(target, live, today, 'redeploy').rows.find((r) => r.label === 'Limits');
    expect(exact).toEqual({ label: 'Limits', from: '512 MB', to: '256 MB', changed: true });
    expect(image).toEqual({ label: 'Limits', from: '512 MB', to: 'none', changed: true });
  });

  it('says why a deployment cannot be rolled back to', () => {
    expect(rollbackCapability(deployment(3, { image: null, status: 'failed' }))).toMatchObject({ capable: false, reason: expect.stringContaining('No image') });
    expect(rollbackCapability(deployment(4, { status: 'rolled-back', timestamps: { queued: 'a' } }))).toMatchObject({ capable: false, reason: expect.stringContaining('health check') });
    expect(rollbackCapability(deployment(5))).toMatchObject({ capable: true });
  });

  it('prefers the engine’s own answer when the record carries one', () => {
    const gone = { ...deployment(6), rollbackCapable: false, rollbackReason: 'image removed 2026-11-20; no registry' };
    expect(rollbackCapability(gone)).toEqual({ capable: false, reason: 'image removed 2026-11-20; no registry' });
  });
});

describe('statuses and phases', () => {
  it('draws rolled-back and failed unlike live', () => {
    expect(statusLook('rolled-back')).toMatchObject({ icon: '⚠', tone: 'amber' });
    expect(statusLook('failed')).toMatchObject({ icon: '✕', tone: 'red' });
    expect(statusLook('live')).toMatchObject({ icon: '●', tone: 'green' });
    expect(statusLook('interrupted').tone).not.toBe('green');
  });

  it('times each phase from the status timestamps and marks the one that failed', () => {
    const d = deployment(7, {
      status: 'rolled-back',
      timestamps: { queued: '2026-11-25T10:00:00Z', building: '2026-11-25T10:00:00Z', starting: '2026-11-25T10:00:12Z', 'health-checking': '2026-11-25T10:00:13Z' },
      finishedAt: '2026-11-25T10:00:43Z',
    });
    expect(phasesOf(d).map((p) => [p.name, p.state, p.ms])).toEqual([
      ['build', 'done', 12_000],
      ['start', 'done', 1_000],
      ['health', 'failed', 30_000],
      ['switch', 'skipped', undefined],
    ]);
  });
});
