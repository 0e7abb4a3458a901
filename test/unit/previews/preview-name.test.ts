import { describe, expect, it } from 'vitest';
import { checkPreviewRef, normalizePreviewRef, previewDomains, previewName, type NameHolder } from '../../../electron/core/previews/preview-name';
import { AppName, Domain } from '../../../shared/api/apps';
import { configWord } from '../../../shared/safe-input';

const nobody: NameHolder = () => undefined;

describe('a preview name for a branch', () => {
  it('is the app name and the branch in lowercase with dashes', () => {
    expect(previewName('web', 'Feature/Login_Form', nobody)).toEqual({ name: 'web-feature-login-form', slug: 'feature-login-form' });
  });

  it('names a pull or merge request by its number', () => {
    expect(previewName('web', 'refs/pull/12/head', nobody).slug).toBe('pr-12');
    expect(previewName('web', 'refs/merge-requests/7/head', nobody).slug).toBe('mr-7');
  });

  it('cuts a long branch to fit the app name limit and a DNS label, ending in a hash of the ref', () => {
    const long = `feature/${'x'.repeat(80)}`;
    const { name, slug } = previewName('web', long, nobody);
    expect(AppName.safeParse(name).success).toBe(true);
    expect(slug.length).toBeLessThanOrEqual(63);
    expect(slug).toMatch(/^feature-x+-[0-9a-f]{6}$/);
    expect(previewName('web', `${long}y`, nobody).slug).not.toBe(slug);
  });

  it('gives a branch of only symbols a hashed name', () => {
    expect(previewName('web', '___', nobody).slug).toMatch(/^b-[0-9a-f]{6}$/);
  });

  it('tells apart two branches that read the same', () => {
    const taken: NameHolder = (name) => (name === 'web-feature-a' ? { previewOf: { app: 'web', ref: 'feature/a' } } : undefined);
    expect(previewName('web', 'feature/a', taken).slug).toBe('feature-a');
    expect(previewName('web', 'feature-a', taken).slug).toMatch(/^feature-a-[0-9a-f]{6}$/);
  });

  it('never takes the name of an app that is not its preview', () => {
    const taken: NameHolder = (name) => (name === 'web-api' ? { previewOf: undefined } : undefined);
    expect(previewName('web', 'api', taken).name).toMatch(/^web-api-[0-9a-f]{6}$/);
  });

  it('refuses an app name too long to leave room for the branch', () => {
    expect(() => previewName('a'.repeat(42), 'main', nobody)).toThrow(/too long for preview names/);
  });

  it('yields names and host names that are safe in a proxy config line', () => {
    for (const ref of ['feat/$(rm -rf)', 'a"b', 'x#y', 'ü-branch', 'a\nb']) {
      const { name, slug } = previewName('web', ref, nobody);
      expect(AppName.safeParse(name).success).toBe(true);
      expect(configWord(`${slug}.web.example.com`)).toBeNull();
    }
  });
});

describe('a branch given for a preview', () => {
  it('accepts branches and pull-request refs', () => {
    for (const ref of ['main', 'feature/login', 'release-1.2', 'user@fix+1', 'refs/pull/12/head']) expect(checkPreviewRef(ref)).toBeNull();
  });

  it('refuses what git would not take or a shell would read, saying why', () => {
    expect(checkPreviewRef('-x')).toMatch(/starts with "-"/);
    expect(checkPreviewRef('a b')).toMatch(/contains " "/);
    expect(checkPreviewRef('a;b')).toMatch(/contains ";"/);
    expect(checkPreviewRef('a..b')).toMatch(/\.\./);
    expect(checkPreviewRef('a//b')).toMatch(/empty part/);
    expect(checkPreviewRef('a.lock')).toMatch(/\.lock/);
    expect(() => normalizePreviewRef('$(id)')).toThrow(/give a branch such as feature\/login/);
  });

  it('is the same preview written with or without refs/heads/', () => {
    expect(normalizePreviewRef('refs/heads/feature/a')).toBe('feature/a');
    expect(normalizePreviewRef('refs/pull/3/head')).toBe('refs/pull/3/head');
  });
});

describe("a preview's host names", () => {
  it('put the slug before each of the app domains, a wildcard one included', () => {
    expect(previewDomains('web', ['web.example.com', '*.apps.example.com'], 'pr-12')).toEqual(['pr-12.web.example.com', 'pr-12.apps.example.com']);
    expect(Domain.safeParse('pr-12.web.example.com').success).toBe(true);
  });

  it('are refused for an app without a domain, with how to add one', () => {
    expect(() => previewDomains('web', [], 'pr-12')).toThrow(/berth app set web --domain/);
  });
});
