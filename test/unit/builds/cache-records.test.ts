import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../../shared/api/deployments';
import { appCacheRecords, buildWindows } from '../../../electron/core/builds/cache-records';

const at = (s: number) => new Date(Date.UTC(2026, 11, 3, 12, 0, s)).toISOString();
const ms = (s: number) => Date.parse(at(s));

function record(partial: Partial<Deployment>): Deployment {
  return { kind: 'deploy', status: 'live', timestamps: {}, finishedAt: null, ...partial } as Deployment;
}

describe('buildWindows', () => {
  it('spans each build from building to the next status, and a build under way to now', () => {
    const windows = buildWindows(
      [
        record({ timestamps: { building: at(0), starting: at(10) }, finishedAt: at(20) }),
        record({ timestamps: { building: at(30) }, status: 'failed', finishedAt: at(35) }),
        record({ timestamps: { building: at(40) }, status: 'building' }),
        record({ kind: 'rollback', timestamps: { starting: at(50) } }),
      ],
      ms(45),
    );
    expect(windows).toEqual([
      { from: ms(0), to: ms(10) },
      { from: ms(30), to: ms(35) },
      { from: ms(40), to: ms(45) },
    ]);
  });
});

describe('appCacheRecords', () => {
  const records = [
    { ID: 'before', CreatedAt: at(0), InUse: false, Size: 1 },
    { ID: 'first', CreatedAt: at(11), InUse: false, Size: 1 },
    { ID: 'second', CreatedAt: at(14), InUse: false, Size: 1 },
    { ID: 'after', CreatedAt: at(30), InUse: false, Size: 1 },
  ];

  it('takes the records stamped during a build, newest first', () => {
    expect(appCacheRecords(records, [{ from: ms(10), to: ms(15) }], 0).map((r) => r.ID)).toEqual(['second', 'first']);
  });

  it("reads the daemon's stamps in this computer's clock", () => {
    // the server runs 20 s ahead: its 00:30 is this computer's 00:10
    expect(appCacheRecords(records, [{ from: ms(10), to: ms(10) }], 20_000).map((r) => r.ID)).toEqual(['after']);
  });
});
