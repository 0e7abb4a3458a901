import { describe, expect, it } from 'vitest';
import { phasesOf } from '../../../renderer/src/features/deployments/phases';
import { statusLook } from '../../../renderer/src/lib/status';
import { deployment } from './fixtures';

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
