import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { berthPaths } from '../../../electron/core/home';
import { ReleaseStore } from '../../../electron/core/releases/release-store';
import { prunable } from '../../../electron/core/releases/retention';
import { deployment } from './fixtures';

describe('the deployment registry', () => {
  it('keeps every record in its own file and lists them newest first per app', () => {
    const paths = berthPaths(mkdtempSync(join(tmpdir(), 'berth-rel-')));
    const store = new ReleaseStore(paths);
    for (let seq = 1; seq <= 3; seq++) store.save(deployment({ id: `web-${seq}`, seq, status: seq === 3 ? 'live' : 'superseded' }));
    store.save(deployment({ id: 'api-1', app: 'api', seq: 1 }));
    expect(store.list('s1', { app: 'web' }).map((d) => d.seq)).toEqual([3, 2, 1]);
    expect(store.nextSeq('s1', 'web')).toBe(4);
    expect(store.live('s1', 'web')?.id).toBe('web-3');
    expect(new ReleaseStore(paths).get('s1', 'api-1').app).toBe('api');
    store.remove('s1', 'web-1');
    expect(store.list('s1', { app: 'web' }).map((d) => d.seq)).toEqual([3, 2]);
    expect(() => store.get('s1', 'nope')).toThrow(/no deployment nope/);
  });

  it('keeps all history until a retention rule is set, and never prunes the live one', () => {
    const now = new Date('2026-03-01T00:00:00Z');
    const records = [1, 2, 3, 4].map((seq) => deployment({ id: `d${seq}`, seq, status: seq === 1 ? 'live' : 'superseded', timestamps: { queued: `2026-02-0${seq}T00:00:00Z` } }));
    expect(prunable(records, {}, now)).toEqual([]);
    expect(prunable(records, { keepLast: 2 }, now)).toEqual(['d2']);
    expect(prunable(records, { keepDays: 26 }, now)).toEqual(['d3', 'd2']);
    expect(prunable(records, { keepDays: 27 }, now)).toEqual(['d2']);
    expect(prunable(records, { keepLast: 1, keepDays: 27 }, now)).toEqual(['d2']);
  });

  it('never prunes a pinned release, even with keepLast 1', () => {
    const now = new Date('2026-03-01T00:00:00Z');
    const records = [1, 2, 3].map((seq) => deployment({ id: `d${seq}`, seq, status: seq === 3 ? 'live' : 'superseded', pinned: seq === 1, timestamps: { queued: `2026-02-0${seq}T00:00:00Z` } }));
    expect(prunable(records, { keepLast: 1 }, now)).toEqual(['d2']);
  });

  it('reads a healthy release an old manual rollback marked rolled-back as superseded, and keeps automatic reverts', () => {
    const home = mkdtempSync(join(tmpdir(), 'berth-rel-'));
    const store = new ReleaseStore(berthPaths(home));
    store.save(deployment({ id: 'web-1', seq: 1, status: 'rolled-back', supersededBy: 'web-3' }));
    store.save(deployment({ id: 'web-2', seq: 2, status: 'rolled-back', autoRollback: { at: '2026-02-02T00:00:00Z', by: 'berth', phase: 'switch', reason: 'health', revertedTo: 'web-1', rollbackId: null, probes: [] } }));
    const statuses = new ReleaseStore(berthPaths(home)).list('s1', { app: 'web' }).map((d) => [d.seq, d.status]);
    expect(statuses).toEqual([[2, 'rolled-back'], [1, 'superseded']]);
  });
});
