import { describe, expect, it } from 'vitest';
import { RollbackPlan } from '../../../shared/api/rollback';
import { planRows } from '../../../electron/cli/rollback-plan';
import { deployment } from './fixtures';

function plan(extra: Partial<RollbackPlan> = {}): RollbackPlan {
  return RollbackPlan.parse({
    serverId: 's1',
    app: 'web',
    mode: 'exact',
    target: { id: 'web-1-abc', seq: 1, title: 'Change 1', status: 'superseded' },
    live: { id: 'web-2-abc', seq: 2 },
    capable: true,
    reason: 'The image is on the server.',
    via: 'server',
    refusal: null,
    image: { from: deployment(2).image, to: deployment(1).image, changed: true },
    env: [],
    changes: [],
    unchanged: [],
    secretsKept: 0,
    notUndone: [],
    warnings: [],
    ...extra,
  });
}

describe("the engine's rollback plan on the terminal", () => {
  it('shows the image going back, with the seq of each side', () => {
    expect(planRows(plan())).toEqual([['Image', '#2 222222222222', '#1 111111111111']]);
  });

  it('shows each setting that changes', () => {
    const rows = planRows(plan({ changes: [{ field: 'replicas', label: 'Replicas', from: '3', to: '1' }] }));
    expect(rows).toContainEqual(['Replicas', '3', '1']);
  });

  it('never shows a secret value, only that it is added, removed or changed', () => {
    const rows = planRows(
      plan({
        env: [
          { key: 'API_KEY', change: 'added', secret: true, from: null, to: null },
          { key: 'MODE', change: 'changed', secret: false, from: 'a', to: 'b' },
          { key: 'TOKEN', change: 'removed', secret: true, from: null, to: null },
        ],
      }),
    );
    expect(rows.slice(1)).toEqual([
      ['env API_KEY', '(unset)', '••••••'],
      ['env MODE', 'a', 'b'],
      ['env TOKEN', '••••••', '(unset)'],
    ]);
  });

  it('says when the image stays the same (a redeploy of the live image with new config)', () => {
    const same = deployment(2).image;
    expect(planRows(plan({ mode: 'redeploy', image: { from: same, to: same, changed: false } }))[0]).toEqual(['Image', '#2 222222222222', '#1 222222222222 (same)']);
  });
});
