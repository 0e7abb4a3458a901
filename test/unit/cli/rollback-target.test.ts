import { describe, expect, it } from 'vitest';
import { chooseRollbackTarget, defaultRollbackTarget } from '../../../electron/cli/rollback-target';
import { findDeployment } from '../../../electron/cli/resolve';
import { deployment, failedBuild } from './fixtures';

describe('the default rollback target', () => {
  it('is the latest release before the live one', () => {
    const history = [deployment(3, { status: 'live' }), deployment(2), deployment(1)];
    expect(defaultRollbackTarget(history)?.seq).toBe(2);
  });

  it('skips deployments that never went live', () => {
    const history = [deployment(4, { status: 'live' }), failedBuild(3), deployment(2, { status: 'rolled-back', timestamps: { queued: 'x', 'health-checking': 'y', 'rolled-back': 'z' } }), deployment(1)];
    expect(defaultRollbackTarget(history)?.seq).toBe(1);
  });

  it('skips a release that runs the image already live (after a rollback to it)', () => {
    const live = deployment(3, { status: 'live', kind: 'rollback', target: 'web-1-abc', image: deployment(1).image });
    expect(defaultRollbackTarget([live, deployment(2, { status: 'rolled-back' }), deployment(1)])?.seq).toBe(2);
  });

  it('ignores releases newer than the live one (a failed deploy after it)', () => {
    const history = [failedBuild(3), deployment(2, { status: 'live' }), deployment(1)];
    expect(defaultRollbackTarget(history)?.seq).toBe(1);
  });

  it('is refused when nothing earlier ever went live', () => {
    expect(() => chooseRollbackTarget([deployment(1, { status: 'live' })], 'web', undefined)).toThrow(expect.objectContaining({ code: 'NOT_ROLLBACK_CAPABLE' }));
  });
});

describe('naming a deployment', () => {
  const history = [deployment(2, { status: 'live' }), deployment(1)];

  it('accepts a seq, #seq or an id', () => {
    expect(findDeployment(history, 'web', '1').seq).toBe(1);
    expect(findDeployment(history, 'web', '#2').seq).toBe(2);
    expect(findDeployment(history, 'web', 'web-1-abc').seq).toBe(1);
    expect(chooseRollbackTarget(history, 'web', '1').seq).toBe(1);
  });

  it('refuses a seq the app does not have', () => {
    expect(() => findDeployment(history, 'web', '9')).toThrow(expect.objectContaining({ code: 'DEPLOYMENT_NOT_FOUND', message: expect.stringContaining('#9') }));
  });
});
