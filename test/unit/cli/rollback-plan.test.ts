import { describe, expect, it } from 'vitest';
import { envChanges, localPlan } from '../../../electron/cli/rollback-plan';
import { app, deployment } from './fixtures';

describe('what a rollback changes, from the records', () => {
  it('shows the image and only the settings that differ', () => {
    const live = deployment(2, { status: 'live', config: { ...deployment(2).config, replicas: 3 } });
    expect(localPlan(deployment(1), live, app(), 'exact')).toEqual([
      ['Image', '#2 222222222222', '#1 111111111111'],
      ['Replicas', '3', '1'],
    ]);
  });

  it("uses the app's current config with --redeploy", () => {
    const rows = localPlan(deployment(1), deployment(2, { status: 'live' }), app(), 'redeploy');
    expect(rows).toContainEqual(['env TOKEN', '(unset)', '••••••']);
  });

  it('never shows a secret value, only that it is added, removed or kept', () => {
    const before = [{ key: 'TOKEN', value: null, secret: true }, { key: 'MODE', value: 'a', secret: false }];
    const after = [{ key: 'MODE', value: 'b', secret: false }, { key: 'API_KEY', value: null, secret: true }];
    expect(envChanges(before, after)).toEqual([
      ['env API_KEY', '(unset)', '••••••'],
      ['env MODE', 'a', 'b'],
      ['env TOKEN', '••••••', '(unset)'],
    ]);
  });
});
