import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildSettings } from '../../../shared/api/apps';
import { checkRunnable, planBuild, planContext, WRITTEN_DOCKERFILE } from '../../../electron/core/builds/build-plan';
import { folderFacts } from '../../../electron/core/builds/source-reader';

const fixture = (name: string) => folderFacts(resolve(__dirname, '../../fixtures/stacks', name), '.');
const input = (build: Partial<BuildSettings>, httpPort: number | null = 8080, hasCommand = false) => ({ build: BuildSettings.parse(build), httpPort, hasCommand });

describe('planBuild', () => {
  it("uses the source's Dockerfile as it is in dockerfile mode, writing nothing", () => {
    const plan = planBuild(input({ dockerfile: 'deploy/Dockerfile' }), null);
    expect(plan).toMatchObject({ mode: 'dockerfile', origin: 'source', dockerfilePath: 'deploy/Dockerfile', dockerfile: null });
    expect(planContext(plan)).toEqual({ dockerfile: 'deploy/Dockerfile', extraFiles: [], recorded: null });
  });

  it('builds with the Dockerfile kept in the app, and records it', () => {
    const plan = planBuild(input({ dockerfileText: 'FROM x\n' }), null);
    expect(plan).toMatchObject({ origin: 'kept', dockerfilePath: WRITTEN_DOCKERFILE, dockerfile: 'FROM x\n' });
    expect(planContext(plan).recorded).toEqual({ mode: 'dockerfile', stack: null, dockerfile: 'FROM x\n' });
  });

  it('serves a static site with busybox httpd on the app port, from the configured image', () => {
    const plan = planBuild(input({ mode: 'static', baseImages: { static: 'berth-test/base:latest' } }, 8081), null);
    expect(plan.dockerfile).toContain('FROM berth-test/base:latest\n');
    expect(plan.dockerfile).toContain('CMD ["busybox", "httpd", "-f", "-v", "-p", "8081", "-h", "/www"]');
  });

  it('writes an npm Dockerfile that installs from the lock file with a cache mount, then copies the code', () => {
    const plan = planBuild(input({ mode: 'auto' }), fixture('node-npm'));
    expect(plan).toMatchObject({ origin: 'generated', stack: 'node' });
    const lines = (plan.dockerfile ?? '').split('\n');
    expect(lines.slice(1)).toEqual([
      'FROM node:22-slim',
      'WORKDIR /app',
      'COPY package.json package-lock.json ./',
      'RUN --mount=type=cache,target=/root/.npm npm ci',
      'COPY . .',
      'RUN npm prune --omit=dev',
      'ENV NODE_ENV=production PORT=8080',
      'EXPOSE 8080',
      'CMD ["npm","start"]',
      '',
    ]);
  });

  it('leaves cache mounts out for the classic builder, which has none', () => {
    const plan = planBuild(input({ mode: 'auto', builder: 'classic' }), fixture('node-npm'));
    expect(plan.dockerfile).toContain('\nRUN npm ci\n');
  });

  it('enables corepack for pnpm and runs the build script', () => {
    const text = planBuild(input({ mode: 'auto' }), fixture('node-pnpm-vite')).dockerfile ?? '';
    expect(text).toContain('RUN corepack enable\n');
    expect(text).toContain('pnpm install --frozen-lockfile\n');
    expect(text).toContain('RUN pnpm build\n');
  });

  it('takes a base image per stack from the app', () => {
    const text = planBuild(input({ mode: 'auto', baseImages: { python: 'registry.local/python:3.12' } }), fixture('python-flask')).dockerfile ?? '';
    expect(text).toContain('FROM registry.local/python:3.12\n');
    expect(text).toContain('RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n');
    expect(text).toContain('CMD ["/bin/sh","-c","gunicorn app:app --bind 0.0.0.0:$PORT --workers 2"]');
  });

  it('builds Go in two stages, the binary alone in the final image', () => {
    const text = planBuild(input({ mode: 'auto' }), fixture('go-cmd')).dockerfile ?? '';
    expect(text).toContain('FROM golang:1.23 AS build\n');
    expect(text).toContain('CGO_ENABLED=0 go build -o /out/app ./cmd/api\n');
    expect(text).toContain('FROM debian:12-slim\nCOPY --from=build /out/app /usr/local/bin/app\n');
  });

  it('refuses to build a stack without a start command unless the app has its own', () => {
    const facts = { files: ['package.json'], contents: { 'package.json': '{"name":"x"}' } };
    const plan = planBuild(input({ mode: 'auto' }), facts);
    expect(() => checkRunnable(plan, input({ mode: 'auto' }))).toThrow(/No start command found/);
    const withCommand = input({ mode: 'auto' }, 8080, true);
    expect(() => checkRunnable(planBuild(withCommand, facts), withCommand)).not.toThrow();
  });
});

describe('BuildSettings', () => {
  it('refuses a base image that would break its FROM line', () => {
    expect(() => BuildSettings.parse({ baseImages: { node: 'node:22\nRUN curl evil' } })).toThrow(/node base image contains a newline/);
  });
});
