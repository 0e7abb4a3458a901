import { describe, expect, it } from 'vitest';
import { decideRetention, deletionRefusal, rollbackPoints } from '../../../electron/core/rollback/image-retention';
import { release } from './fixtures';

const ids = (m: Map<string, unknown>) => [...m.keys()].sort();

describe('choosing which release images stay on the server', () => {
  const history = () => [release(1), release(2), release(3), release(4), release(5, { status: 'live' })];

  it('keeps the live image and the newest N rollback points, and lets the rest go', () => {
    const decision = decideRetention(history(), 2, new Set());
    expect(ids(decision.keep)).toEqual(['sha256:img3', 'sha256:img4', 'sha256:img5']);
    expect(ids(decision.remove)).toEqual(['sha256:img1', 'sha256:img2']);
  });

  it('keeps a pinned release and an image a container uses beyond N', () => {
    const records = history().map((d) => (d.seq === 1 ? { ...d, pinned: true } : d));
    const decision = decideRetention(records, 2, new Set(['sha256:img2']));
    expect(decision.remove.size).toBe(0);
    expect(decision.keep.get('sha256:img1')).toMatch(/pinned/);
    expect(decision.keep.get('sha256:img2')).toMatch(/container/);
  });

  it('keeps an image a rollback runs, even when its first release is old', () => {
    const records = [...history().map((d) => (d.status === 'live' ? { ...d, status: 'superseded' as const } : d)), release(6, { status: 'live', kind: 'rollback', image: { tag: 'web:1', id: 'sha256:img1', digest: null } })];
    expect(decideRetention(records, 1, new Set()).remove.has('sha256:img1')).toBe(false);
  });

  it('keeps images of queued and running deployments, and prunes failed ones outside the points', () => {
    const records = [...history(), release(6, { status: 'starting', timestamps: { queued: 'x' } }), release(7, { status: 'failed', timestamps: { queued: 'y' } })];
    const decision = decideRetention(records, 1, new Set());
    expect(decision.keep.has('sha256:img6')).toBe(true);
    expect(decision.remove.has('sha256:img7')).toBe(true);
  });

  it('with N = 0 keeps only the live release', () => {
    expect(ids(decideRetention(history(), 0, new Set()).keep)).toEqual(['sha256:img5']);
  });

  it('does not remove again an image already removed', () => {
    const records = history().map((d) => (d.seq === 1 ? { ...d, imageRemoved: { at: 'x', by: 'retention' as const } } : d));
    expect(decideRetention(records, 2, new Set()).remove.has('sha256:img1')).toBe(false);
  });

  it('orders rollback points by when they went live, newest first, without the live one', () => {
    const records = [release(1), release(2, { timestamps: { live: '2026-01-01T01:00:00.000Z' } }), release(3, { status: 'live' }), release(4, { status: 'failed', timestamps: {} })];
    expect(rollbackPoints(records).map((d) => d.seq)).toEqual([2, 1]);
  });
});

describe('deleting a rollback point by hand', () => {
  it('is allowed for a release nothing holds', () => {
    expect(deletionRefusal(release(2), [release(2), release(3, { status: 'live' })], new Set())).toBeNull();
  });

  it('is refused for the live image, a pinned one, a running one or one a container uses', () => {
    const live = release(3, { status: 'live' });
    expect(deletionRefusal(live, [live], new Set())).toMatch(/is live/);
    expect(deletionRefusal(release(1), [release(1), release(4, { status: 'live', image: { tag: 'web:1', id: 'sha256:img1', digest: null } })], new Set())).toMatch(/same image as the live #4/);
    expect(deletionRefusal(release(2, { pinned: true }), [release(2, { pinned: true })], new Set())).toMatch(/pinned/);
    expect(deletionRefusal(release(2), [release(2)], new Set(['sha256:img2']))).toMatch(/container/);
  });
});
