import { describe, expect, it } from 'vitest';
import { buildCommand, buildScript, cacheDir, prepareScript } from '../../../electron/core/context/context-scripts';

const spec = {
  gen: 'abc123',
  tag: 'web:4',
  dockerfile: 'Dockerfile',
  args: { TOKEN: "s3cr'et" },
  clean: true,
  labels: { 'berth.app': 'web' },
  buildkit: true,
  upload: false,
  restat: false,
};

describe('the server-side build', () => {
  it('names build args without their values on the command line', () => {
    const script = buildScript(spec);
    expect(script).toContain(`export TOKEN='s3cr'\\''et'`);
    expect(script).toMatch(/docker build .*--build-arg TOKEN /);
    expect(script).not.toMatch(/--build-arg TOKEN=/);
    expect(buildCommand(cacheDir('A:B', 'web'))).not.toContain('s3cr');
  });

  it('checks the tree is still the one it synced before building', () => {
    expect(buildScript(spec).split('\n')[0]).toBe(`[ "$(cat ../gen 2>/dev/null)" = 'abc123' ] || exit 75`);
  });

  it('unpacks the upload before building and lists the tree again', () => {
    const lines = buildScript({ ...spec, upload: true, restat: true }).split('\n');
    expect(lines[1]).toMatch(/^tar -x -p --no-same-owner --recursive-unlink -f - \|\| exit 76$/);
    expect(lines[2]).toMatch(/^find \. -mindepth 1 -printf .* > \.\.\/stat\.tmp && mv -f \.\.\/stat\.tmp \.\.\/stat/);
  });

  it('uses BuildKit plain progress or the classic builder as the app says', () => {
    expect(buildScript(spec)).toContain('DOCKER_BUILDKIT=1 docker build --progress=plain');
    expect(buildScript({ ...spec, buildkit: false })).toContain('DOCKER_BUILDKIT=0 docker build --force-rm');
  });

  it('keys the cache folder by daemon and app', () => {
    expect(cacheDir('RDAJ:FQYX', 'web')).toBe(`"$HOME"/.berth/contexts/'RDAJ-FQYX/web'`);
  });
});

describe('readying the tree for an upload', () => {
  const change = { expectGen: '', newGen: 'ff01', remove: ['old dir', "it's"], manifest: 'x', rewrite: false };

  it('refuses a tree changed since it was read, and trusts nothing until the upload is through', () => {
    const lines = prepareScript(cacheDir('A', 'web'), change).split('\n');
    expect(lines[1]).toBe(`[ "$(cat ../gen 2>/dev/null)" = '' ] || exit 75`);
    expect(lines[2]).toBe('rm -f ../stat');
  });

  it('passes paths as NUL-separated bytes, never as shell words', () => {
    const script = prepareScript(cacheDir('A', 'web'), change);
    expect(script).toContain(`printf %s '${Buffer.from("old dir\0it's\0").toString('base64')}' | base64 -d | xargs -0 -r rm -rf --`);
    expect(script).not.toContain('old dir');
  });
});
