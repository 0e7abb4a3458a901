import { describe, expect, it } from 'vitest';
import { capabilityOf, withCapability } from '../../../electron/core/rollback/capability';
import { release } from './fixtures';

const registry = { url: '127.0.0.1:5000', username: null, password: null };

describe('whether a release can be rolled back to', () => {
  it('can, from the server, when its image is there', () => {
    expect(capabilityOf(release(2), { onServer: true, located: null })).toMatchObject({ capable: true, via: 'server', code: null });
  });

  it('can, from a registry, another server or the cache, saying where from', () => {
    const pulled = capabilityOf(release(2), { onServer: false, located: { via: 'registry', ref: 'r@sha256:1', registry, detail: 'pulled back from r' } });
    expect(pulled).toMatchObject({ capable: true, via: 'registry', reason: expect.stringContaining('pulled back') });
    const copied = capabilityOf(release(2), { onServer: false, located: { via: 'other-server', fromServerId: 'prod-2', detail: 'copied' } });
    expect(copied).toMatchObject({ via: 'other-server', fromServerId: 'prod-2' });
  });

  it('cannot when the image is nowhere, with IMAGE_GONE and the advice to redeploy from source', () => {
    const gone = capabilityOf(release(2, { imageRemoved: { at: '2026-02-03T00:00:00.000Z', by: 'retention' } }), { onServer: false, located: null });
    expect(gone).toMatchObject({ capable: false, code: 'IMAGE_GONE' });
    expect(gone.reason).toMatch(/removed from the server on 2026-02-03 \(retention\).*Redeploy from source/);
  });

  it('cannot when the point was deleted by hand, even if a copy exists elsewhere', () => {
    const deleted = release(2, { imageRemoved: { at: '2026-02-03T00:00:00.000Z', by: 'user' } });
    expect(capabilityOf(deleted, { onServer: false, located: { via: 'laptop-cache', detail: 'cache' } })).toMatchObject({ capable: false, code: 'IMAGE_GONE' });
  });

  it('cannot for a release that never went live, is still running or has no image', () => {
    expect(capabilityOf(release(2, { status: 'rolled-back', timestamps: {} }), { onServer: true, located: null })).toMatchObject({ capable: false, code: 'NOT_ROLLBACK_CAPABLE', reason: expect.stringMatching(/never served traffic/) });
    expect(capabilityOf(release(2, { status: 'building' }), { onServer: true, located: null }).reason).toMatch(/still building/);
    expect(capabilityOf(release(2, { image: null }), { onServer: false, located: null }).reason).toMatch(/no image/);
  });

  it('shows on the record as the fields history views read', () => {
    const point = capabilityOf(release(2), { onServer: true, located: null });
    expect(withCapability(release(2), point)).toMatchObject({ rollbackCapable: true, rollbackVia: 'server', rollbackReason: point.reason });
  });
});
