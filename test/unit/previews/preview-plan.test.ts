import { describe, expect, it } from 'vitest';
import type { StoredApp } from '../../../electron/core/apps/app-store';
import { checkPreviewLimit, derivePreview, previewsGone } from '../../../electron/core/previews/preview-plan';
import { runtimeSnapshot } from '../deploy/fixtures';

const now = new Date('2026-12-03T12:00:00.000Z');

function app(over: Partial<StoredApp> = {}): StoredApp {
  return {
    serverId: 's1',
    name: 'web',
    source: { kind: 'git', url: 'https://git.example.com/web.git', ref: 'main', sealedCredentials: 'sealed' },
    build: { dockerfile: 'Dockerfile', context: '.', args: {}, clean: false },
    runtime: runtimeSnapshot({
      domains: ['web.example.com'],
      published: [{ container: 8080, published: 9000, protocol: 'tcp', hostIp: '' }],
      volumes: [{ source: 'data', target: '/data', readOnly: false }, { source: '/srv/shared', target: '/shared', readOnly: true }],
      env: [{ key: 'TOKEN', secret: true, value: null, sealed: 'abc' }],
    }),
    retention: { keepLast: 5 },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

const preview = (ref: string, name = `web-${ref}`): StoredApp => app({ name, previewOf: { app: 'web', ref } });

describe("a preview's definition", () => {
  it('is the app on the branch at its own host names, with the same env and build', () => {
    const p = derivePreview(app(), 'feature/a', () => undefined, undefined, now);
    expect(p).toMatchObject({ name: 'web-feature-a', previewOf: { app: 'web', ref: 'feature/a' }, source: { kind: 'git', ref: 'feature/a', sealedCredentials: 'sealed' }, retention: { keepLast: 5 } });
    expect(p.runtime.domains).toEqual(['feature-a.web.example.com']);
    expect(p.runtime.env).toEqual(app().runtime.env);
  });

  it('publishes no server port and keeps its data apart from the app', () => {
    const p = derivePreview(app(), 'feature/a', () => undefined, undefined, now);
    expect(p.runtime.published).toEqual([]);
    expect(p.runtime.volumes.map((v) => v.source)).toEqual(['data-preview-feature-a', '/srv/shared']);
  });

  it('keeps the date it was first made when made again', () => {
    const first = derivePreview(app(), 'x', () => undefined, undefined, now);
    expect(derivePreview(app(), 'x', () => undefined, first, new Date('2026-12-04T00:00:00.000Z')).createdAt).toBe(now.toISOString());
  });

  it('is refused for an app that is not built from git, or is a preview itself', () => {
    expect(() => derivePreview(app({ source: { kind: 'image', image: 'nginx', pull: 'missing' } }), 'x', () => undefined, undefined, now)).toThrow(/give it a git source/);
    expect(() => derivePreview(preview('a'), 'x', () => undefined, undefined, now)).toThrow(/itself a preview of web/);
  });
});

describe('the preview limit', () => {
  it('lets a new branch in under the limit (3 by default)', () => {
    expect(() => checkPreviewLimit(app(), [preview('a'), preview('b')], 'c')).not.toThrow();
  });

  it('refuses one more, naming the limit, the previews and both ways out', () => {
    expect(() => checkPreviewLimit(app(), [preview('a'), preview('b'), preview('c')], 'd')).toThrow(
      /already runs 3 previews \(a, b, c\), its limit: remove one with berth preview remove web BRANCH, or raise the limit with berth app set web --preview-limit 4/,
    );
  });

  it('always deploys a branch that has its preview already', () => {
    expect(() => checkPreviewLimit(app({ previews: { limit: 1 } }), [preview('a')], 'a')).not.toThrow();
  });

  it('refuses every preview at a limit of 0', () => {
    expect(() => checkPreviewLimit(app({ previews: { limit: 0 } }), [], 'a')).toThrow(/allows no previews/);
  });
});

describe('previews whose branch is gone', () => {
  it('are those whose ref the remote lists under no name', () => {
    const previews = [preview('a'), preview('gone'), preview('refs/pull/4/head', 'web-pr-4'), preview('refs/pull/5/head', 'web-pr-5')];
    const refs = new Set(['refs/heads/a', 'refs/pull/4/head', 'refs/tags/v1']);
    expect(previewsGone(previews, refs).map((p) => p.name)).toEqual(['web-gone', 'web-pr-5']);
  });
});
