import { BerthError } from '../../../shared/errors';
import { detectNode, type NodeApp } from './node-detect';
import { has, hasAny, procfileWeb, type SourceFacts, type StartCommand } from './source-facts';

export interface PythonApp {
  stack: 'python';
  /** requirements.txt is installed before the code is copied (a layer that survives code changes); a pyproject needs the code. */
  install: 'requirements' | 'pyproject';
  start: StartCommand | null;
  evidence: string[];
}

export interface GoApp {
  stack: 'go';
  /** The package `go build` makes the binary from: `.` or `./cmd/<name>`. */
  main: string;
  goSum: boolean;
  evidence: string[];
}

export interface StaticSite {
  stack: 'static';
  evidence: string[];
}

/** A detected stack; `start` (where a stack has one) is already the Procfile's web: line when there is one. */
export type Detected = NodeApp | PythonApp | GoApp | StaticSite;

export interface Detection {
  app: Detected;
  /** Other stacks found and passed over, said in the plan so nobody is surprised. */
  notes: string[];
}

const PYTHON_ENTRIES: Array<[string, string[]]> = [
  ['main.py', ['python', 'main.py']],
  ['app.py', ['python', 'app.py']],
  ['manage.py', ['python', 'manage.py', 'runserver', '0.0.0.0:8080']],
];

/** The first `[project.scripts]` entry of a pyproject.toml: `pip install .` puts it on the PATH. */
export function pyprojectScript(text: string | undefined): string | null {
  if (text === undefined) return null;
  let inScripts = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) inScripts = line === '[project.scripts]';
    else if (inScripts) {
      const match = /^([A-Za-z0-9_.-]+)\s*=/.exec(line);
      if (match?.[1]) return match[1];
    }
  }
  return null;
}

function detectPython(facts: SourceFacts): PythonApp {
  const requirements = has(facts, 'requirements.txt');
  const evidence = [requirements ? 'requirements.txt' : 'pyproject.toml'];
  const script = requirements ? null : pyprojectScript(facts.contents['pyproject.toml']);
  let start: StartCommand | null = null;
  if (script) {
    evidence.push(`[project.scripts] ${script}`);
    start = { exec: [script] };
  } else {
    const entry = PYTHON_ENTRIES.find(([file]) => has(facts, file));
    if (entry) {
      evidence.push(`entry file: ${entry[0]}`);
      start = { exec: entry[1] };
    }
  }
  return { stack: 'python', install: requirements ? 'requirements' : 'pyproject', start, evidence };
}

function detectGo(facts: SourceFacts): GoApp {
  const evidence = ['go.mod'];
  const module = /^module\s+(\S+)/m.exec(facts.contents['go.mod'] ?? '')?.[1] ?? '';
  if (module) evidence.push(`module ${module}`);
  let main = '.';
  if (!facts.files.some((file) => !file.includes('/') && file.endsWith('.go'))) {
    const commands = [...new Set(facts.files.filter((f) => /^cmd\/[^/]+\/[^/]+\.go$/.test(f)).map((f) => f.split('/')[1] ?? ''))].sort();
    const named = commands.find((name) => name === module.split('/').pop()) ?? commands[0];
    if (named) {
      main = `./cmd/${named}`;
      evidence.push(`main package: ${main}`);
    }
  }
  return { stack: 'go', main, goSum: has(facts, 'go.sum'), evidence };
}

const MARKERS: Array<[Detected['stack'], string[]]> = [
  ['node', ['package.json']],
  ['python', ['requirements.txt', 'pyproject.toml']],
  ['go', ['go.mod']],
  ['static', ['index.html']],
];

function withProcfile(app: Detected, web: string | null): Detected {
  if (web === null || !('start' in app)) return app;
  return { ...app, start: { shell: web }, evidence: [...app.evidence, `Procfile web: ${web}`] };
}

/**
 * Tells the stack of a build context from its listing and a few manifests. The first stack found in MARKERS order
 * wins (a Node front end beside a Go server is usually built by the Go side's own Dockerfile); the others are named.
 */
export function detectStack(facts: SourceFacts): Detection {
  const found = MARKERS.filter(([, markers]) => hasAny(facts, markers) !== null).map(([stack, markers]) => ({ stack, marker: hasAny(facts, markers) ?? '' }));
  const first = found[0];
  if (!first) {
    throw new BerthError(
      'SOURCE_INVALID',
      'No stack found in the build context: no package.json, requirements.txt, pyproject.toml, go.mod or index.html at its top. Point the build context at the app\'s folder, or add a Dockerfile and set the build mode to dockerfile.',
    );
  }
  const notes = found.slice(1).filter((other) => other.stack !== 'static').map((other) => `${other.marker} found too; the plan builds the ${first.stack} app.`);
  const web = procfileWeb(facts.contents['Procfile']);
  const app: Detected =
    first.stack === 'node'
      ? detectNode(facts, facts.contents['package.json'] ?? '{}')
      : first.stack === 'python'
        ? detectPython(facts)
        : first.stack === 'go'
          ? detectGo(facts)
          : { stack: 'static', evidence: ['index.html'] };
  return { app: withProcfile(app, web), notes };
}
