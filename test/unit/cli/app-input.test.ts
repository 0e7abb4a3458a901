import { describe, expect, it } from 'vitest';
import { AppInput, AppPatch } from '../../../shared/api/apps';
import { appInputFrom, appPatchFrom, editEnv, mergeEnv, rollbackPatchFrom, sourceFrom } from '../../../electron/cli/app-input';
import { app } from './fixtures';

describe('berth app add options → AppInput', () => {
  it('sends only what was given, so the engine defaults apply to the rest', () => {
    const input = appInputFrom('web', 's1', {}, [], '/work/web');
    expect(input).toEqual({ serverId: 's1', name: 'web', source: { kind: 'folder', path: '/work/web' }, build: {}, runtime: {}, retention: {} });
    const parsed = AppInput.parse(input);
    expect(parsed.runtime.httpPort).toBe(8080);
    expect(parsed.runtime.healthCheck).toMatchObject({ kind: 'http', path: '/' });
  });

  it('maps every setting to its place in the contract', () => {
    const input = appInputFrom(
      'web',
      's1',
      {
        folder: 'app',
        dockerfile: 'deploy/Dockerfile',
        buildArg: [{ key: 'VERSION', value: 'v2' }],
        port: 3000,
        domain: ['web.example.com'],
        publish: [{ hostIp: '', published: 2222, container: 22, protocol: 'tcp' }],
        volume: [{ source: 'data', target: '/data', readOnly: false }],
        healthPath: '/healthz',
        healthInterval: 500,
        replicas: 2,
        cpus: 0.5,
        memory: 256,
        restart: 'always',
        command: ['/bin/sh', '-c', 'run'],
        label: [{ key: 'team', value: 'core' }],
        keepLast: 10,
      },
      [],
      '/work',
    );
    const parsed = AppInput.parse(input);
    expect(parsed.source).toEqual({ kind: 'folder', path: '/work/app' });
    expect(parsed.build).toMatchObject({ dockerfile: 'deploy/Dockerfile', args: { VERSION: 'v2' } });
    expect(parsed.runtime).toMatchObject({
      httpPort: 3000,
      domains: ['web.example.com'],
      published: [{ published: 2222, container: 22 }],
      volumes: [{ source: 'data', target: '/data' }],
      healthCheck: { kind: 'http', path: '/healthz', intervalMs: 500, retries: 15 },
      replicas: 2,
      limits: { cpus: 0.5, memoryMb: 256 },
      restart: 'always',
      command: ['/bin/sh', '-c', 'run'],
      labels: { team: 'core' },
    });
    expect(parsed.retention).toEqual({ keepLast: 10 });
  });

  it('keeps an app off the proxy with --no-proxy', () => {
    expect(AppInput.parse(appInputFrom('worker', 's1', { proxy: false, port: 3000 })).runtime.httpPort).toBeNull();
  });

  it('turns the health check off, or to tcp or a command', () => {
    expect(appInputFrom('a', 's1', { health: false }).runtime?.healthCheck).toEqual({ kind: 'none' });
    expect(appInputFrom('a', 's1', { healthTcp: true, healthRetries: 3 }).runtime?.healthCheck).toEqual({ kind: 'tcp', retries: 3 });
    expect(appInputFrom('a', 's1', { healthCmd: ['/bin/sh', '-c', 'true'] }).runtime?.healthCheck).toEqual({ kind: 'command', command: ['/bin/sh', '-c', 'true'] });
  });

  it('refuses two health checks or two sources as usage errors', () => {
    expect(() => appInputFrom('a', 's1', { healthTcp: true, healthPath: '/x' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => sourceFrom({ folder: '.', image: 'nginx' }, '/')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => sourceFrom({ ref: 'main' }, '/')).toThrow(/--ref applies to a --git source/);
  });

  it('reads an image source with its pull policy, missing by default', () => {
    expect(sourceFrom({ image: 'web:1' }, '/')).toEqual({ kind: 'image', image: 'web:1', pull: 'missing' });
    expect(sourceFrom({ image: 'web:1', pull: 'never' }, '/')).toEqual({ kind: 'image', image: 'web:1', pull: 'never' });
    expect(() => sourceFrom({ folder: '.', pull: 'always' }, '/')).toThrow(/--pull applies to an --image source/);
  });

  it('reads a git source with its ref, or main', () => {
    expect(sourceFrom({ git: 'https://git.example/acme/web.git', ref: 'v2' }, '/')).toEqual({ kind: 'git', url: 'https://git.example/acme/web.git', ref: 'v2' });
    expect(sourceFrom({ git: 'https://git.example/acme/web.git' }, '/')).toEqual({ kind: 'git', url: 'https://git.example/acme/web.git', ref: 'main' });
  });

  it('reads an archive source, with the folder inside it to build from or its top', () => {
    expect(sourceFrom({ archiveDrop: 'site-main' }, '/')).toEqual({ kind: 'archive', root: 'site-main' });
    expect(sourceFrom({ archiveDrop: true }, '/')).toEqual({ kind: 'archive', root: '' });
    expect(() => sourceFrom({ archiveDrop: true, image: 'web:1' }, '/')).toThrow(/Choose one source/);
  });

  it('merges env from a file, then --env, then --secret, the later one winning', () => {
    const env = mergeEnv(
      [{ key: 'A', value: 'file' }, { key: 'B', value: 'file' }],
      [{ key: 'B', value: 'flag' }],
      [{ key: 'A', value: 's3cr3t' }],
    );
    expect(env).toEqual([
      { key: 'A', value: 's3cr3t', secret: true },
      { key: 'B', value: 'flag', secret: false },
    ]);
  });
});

describe('berth app set options → AppPatch', () => {
  it('changes only what was given and merges build args', () => {
    const patch = appPatchFrom(app(), { buildArg: [{ key: 'EXTRA', value: '1' }], replicas: 3 });
    expect(patch).toEqual({ build: { args: { VERSION: 'v1', EXTRA: '1' } }, runtime: { replicas: 3 } });
    expect(AppPatch.parse(patch)).toEqual(patch);
  });

  it('tunes the timing of the current health check without changing its kind', () => {
    const patch = appPatchFrom(app(), { healthRetries: 40 });
    expect(patch.runtime?.healthCheck).toMatchObject({ kind: 'http', path: '/health', retries: 40, intervalMs: 1000 });
  });

  it('moves a git source to another ref, and refuses --ref for a folder', () => {
    const gitApp = app({ source: { kind: 'git', url: 'https://git.example/web.git', ref: 'main' } });
    expect(appPatchFrom(gitApp, { ref: 'hotfix' }).source).toEqual({ kind: 'git', url: 'https://git.example/web.git', ref: 'hotfix' });
    expect(() => appPatchFrom(app(), { ref: 'hotfix' })).toThrow(/--ref applies to a git source/);
  });

  it('sets the pull policy of an image source, keeps it when only the image changes, and refuses it for a folder', () => {
    const imageApp = app({ source: { kind: 'image', image: 'web:1', pull: 'never' } });
    expect(appPatchFrom(imageApp, { pull: 'always' }).source).toEqual({ kind: 'image', image: 'web:1', pull: 'always' });
    expect(appPatchFrom(imageApp, { image: 'web:2' }).source).toEqual({ kind: 'image', image: 'web:2', pull: 'never' });
    expect(appPatchFrom(app(), { image: 'web:2' }).source).toEqual({ kind: 'image', image: 'web:2', pull: 'missing' });
    expect(() => appPatchFrom(app(), { pull: 'always' })).toThrow(/--pull applies to an image source/);
    expect(() => appPatchFrom(app(), { git: 'https://git.example/web.git', pull: 'always' })).toThrow(/--pull applies to an --image source/);
  });

  it('says where a git source is fetched, and refuses --fetch-on for a folder', () => {
    const gitApp = app({ source: { kind: 'git', url: 'https://git.example/web.git', ref: 'main' } });
    expect(appPatchFrom(gitApp, { fetchOn: 'this-computer' }).source).toEqual({ kind: 'git', url: 'https://git.example/web.git', ref: 'main', fetchOn: 'this-computer' });
    expect(() => appPatchFrom(app(), { fetchOn: 'server' })).toThrow(/--fetch-on applies to a git source/);
    expect(() => sourceFrom({ fetchOn: 'server' }, '/')).toThrow(/--fetch-on applies to a --git source only/);
  });

  it('is empty when no app setting was given', () => {
    expect(appPatchFrom(app(), { watch: 5000 })).toEqual({});
  });
});

describe('rollback options → rollback settings patch', () => {
  it('maps the watch window, auto rollback and rollback points', () => {
    expect(rollbackPatchFrom({ watch: 30_000, watchFailures: 5, autoRollback: false, keepRollbackPoints: 10 })).toEqual({
      watchMs: 30_000,
      watchFailures: 5,
      autoRollback: false,
      keepLast: 10,
    });
  });

  it('sets a registry with its user and password, or removes it with none', () => {
    expect(rollbackPatchFrom({ registry: 'ghcr.io/acme', registryUser: 'bot', registryPassword: 'tok' })?.registry).toEqual({ url: 'ghcr.io/acme', username: 'bot', password: 'tok' });
    expect(rollbackPatchFrom({ registry: 'none' })?.registry).toBeNull();
  });

  it('is undefined when no rollback setting was given', () => {
    expect(rollbackPatchFrom({})).toBeUndefined();
  });
});

describe('berth app env edits', () => {
  const current = app().runtime.env;

  it('keeps stored secrets by sending them without a value', () => {
    expect(editEnv(current, { set: [{ key: 'NEW', value: 'x' }] })).toEqual([
      { key: 'GREETING', value: 'hi', secret: false },
      { key: 'TOKEN', secret: true },
      { key: 'NEW', value: 'x', secret: false },
    ]);
  });

  it('keeps a secret secret when it is set again with --set', () => {
    expect(editEnv(current, { set: [{ key: 'TOKEN', value: 'rotated' }] })).toContainEqual({ key: 'TOKEN', value: 'rotated', secret: true });
  });

  it('unsets keys and refuses to unset one that is not there', () => {
    expect(editEnv(current, { unset: ['GREETING'] })).toEqual([{ key: 'TOKEN', secret: true }]);
    expect(() => editEnv(current, { unset: ['NOPE'] })).toThrow(/no NOPE/);
  });
});

describe('build mode options', () => {
  it('sets the build mode and adds base images to the ones the app has', () => {
    const current = { ...app(), build: { ...app().build, baseImages: { python: 'py:3' } } };
    const patch = appPatchFrom(current, { buildMode: 'auto', baseImage: [{ key: 'node', value: 'registry.local/node:22' }] });
    expect(patch.build).toEqual({ mode: 'auto', baseImages: { python: 'py:3', node: 'registry.local/node:22' } });
  });

  it('refuses a base image for a stack it does not know, listing the ones it does', () => {
    expect(() => appInputFrom('web', 's1', { baseImage: [{ key: 'ruby', value: 'ruby:3' }] })).toThrow(/names no stack: use one of node, bun, python, go, static, goRuntime/);
  });
});
