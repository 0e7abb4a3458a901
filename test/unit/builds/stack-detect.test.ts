import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderFacts } from '../../../electron/core/builds/source-reader';
import { detectStack } from '../../../electron/core/builds/stack-detect';

const fixture = (name: string) => folderFacts(resolve(__dirname, '../../fixtures/stacks', name), '.');

describe('detectStack on project folders', () => {
  it('finds an npm app with its lock file, its dependencies and its start script', () => {
    const { app } = detectStack(fixture('node-npm'));
    expect(app).toMatchObject({ stack: 'node', packageManager: 'npm', lockfile: 'package-lock.json', install: true, build: false, start: { exec: ['npm', 'start'] } });
  });

  it('takes the package manager from packageManager and sees a build script', () => {
    const { app } = detectStack(fixture('node-pnpm-vite'));
    expect(app).toMatchObject({ stack: 'node', packageManager: 'pnpm', lockfile: 'pnpm-lock.yaml', install: true, build: true, start: { exec: ['pnpm', 'start'] } });
    expect(app.evidence).toContain('package.json packageManager: pnpm@9.15.0');
  });

  it('tells Yarn 2+ by its .yarnrc.yml', () => {
    expect(detectStack(fixture('node-yarn-berry')).app).toMatchObject({ packageManager: 'yarn', yarnBerry: true, lockfile: 'yarn.lock' });
  });

  it('builds a bun.lock project on the bun stack', () => {
    expect(detectStack(fixture('node-bun')).app).toMatchObject({ stack: 'bun', packageManager: 'bun', start: { exec: ['bun', 'run', 'start'] } });
  });

  it('installs nothing for a package.json without dependencies', () => {
    expect(detectStack(fixture('node-plain')).app).toMatchObject({ stack: 'node', install: false, start: { exec: ['npm', 'start'] } });
  });

  it("uses a Procfile's web: line as the command of a Python app", () => {
    const { app } = detectStack(fixture('python-flask'));
    expect(app).toMatchObject({ stack: 'python', install: 'requirements', start: { shell: 'gunicorn app:app --bind 0.0.0.0:$PORT --workers 2' } });
  });

  it('starts a pyproject app by its first [project.scripts] entry', () => {
    expect(detectStack(fixture('python-pyproject')).app).toMatchObject({ stack: 'python', install: 'pyproject', start: { exec: ['shop-serve'] } });
  });

  it('builds the cmd/ package of a Go module that has no main at its root', () => {
    expect(detectStack(fixture('go-cmd')).app).toMatchObject({ stack: 'go', main: './cmd/api', goSum: true });
    expect(detectStack(fixture('go-root')).app).toMatchObject({ stack: 'go', main: '.', goSum: false });
  });

  it('serves a folder with an index.html and no other stack as a static site', () => {
    expect(detectStack(fixture('static-site')).app.stack).toBe('static');
  });

  it('lets a package.json win over an index.html, without a note for the page', () => {
    const detection = detectStack(fixture('node-pnpm-vite'));
    expect(detection.app.stack).toBe('node');
    expect(detection.notes).toEqual([]);
  });

  it('names the stack it passed over', () => {
    const detection = detectStack(fixture('node-and-go'));
    expect(detection.app.stack).toBe('node');
    expect(detection.notes).toEqual(['go.mod found too; the plan builds the node app.']);
  });

  it('refuses a folder with no stack, saying what it looked for and what to do', () => {
    expect(() => detectStack(fixture('no-stack'))).toThrow(/no package.json, requirements.txt, pyproject.toml, go.mod or index.html.*add a Dockerfile/);
  });

  it('refuses a package.json that is not JSON, naming the file', () => {
    expect(() => detectStack({ files: ['package.json'], contents: { 'package.json': '{ "name": ' } })).toThrow(/package.json is not valid JSON/);
  });
});

describe('folderFacts', () => {
  it('lists files below the context and leaves node_modules out', () => {
    const facts = fixture('go-cmd');
    expect(facts.files).toEqual(['cmd/api/main.go', 'go.mod', 'go.sum', 'internal/store/store.go']);
    expect(Object.keys(facts.contents)).toEqual(['go.mod']);
  });
});
