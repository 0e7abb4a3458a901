import { BerthError } from '../../../shared/errors';
import { has, hasAny, type SourceFacts, type StartCommand } from './source-facts';

export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

export interface NodeApp {
  stack: 'node' | 'bun';
  packageManager: PackageManager;
  lockfile: string | null;
  /** Whether package.json names any dependency: without one there is nothing to install. */
  install: boolean;
  /** Yarn 2+ (a .yarnrc.yml) takes `--immutable` instead of `--frozen-lockfile`. */
  yarnBerry: boolean;
  /** A workspace install needs every package.json, so the whole context is copied before it. */
  workspaces: boolean;
  build: boolean;
  start: StartCommand | null;
  evidence: string[];
}

interface PackageJson {
  packageManager?: unknown;
  main?: unknown;
  scripts?: Record<string, unknown>;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  workspaces?: unknown;
}

const LOCKFILES: Array<[string, PackageManager]> = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];
const ENTRY_FILES = ['server.js', 'index.js', 'app.js', 'main.js', 'server.mjs', 'index.mjs'];

export function parsePackageJson(text: string): PackageJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BerthError('SOURCE_INVALID', `package.json is not valid JSON (${(error as Error).message}); fix it, or set the build mode to dockerfile.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BerthError('SOURCE_INVALID', 'package.json does not hold an object; fix it, or set the build mode to dockerfile.');
  }
  return parsed as PackageJson;
}

/** The `packageManager` field ("pnpm@9.1.0") wins over lock files, as corepack reads it. */
function packageManagerOf(pkg: PackageJson, facts: SourceFacts, evidence: string[]): { manager: PackageManager; lockfile: string | null } {
  const lock = LOCKFILES.find(([file]) => has(facts, file));
  const declared = typeof pkg.packageManager === 'string' ? /^(npm|pnpm|yarn|bun)@/.exec(pkg.packageManager)?.[1] : undefined;
  if (declared) {
    evidence.push(`package.json packageManager: ${String(pkg.packageManager)}`);
    const manager = declared as PackageManager;
    const own = LOCKFILES.find(([file, m]) => m === manager && has(facts, file));
    return { manager, lockfile: own?.[0] ?? null };
  }
  if (lock) {
    evidence.push(`${lock[0]}: ${lock[1]}`);
    return { manager: lock[1], lockfile: lock[0] };
  }
  evidence.push('no lock file: npm');
  return { manager: 'npm', lockfile: null };
}

function scriptOf(pkg: PackageJson, name: string): string | null {
  const script = pkg.scripts?.[name];
  return typeof script === 'string' && script.trim() !== '' ? script : null;
}

export function runScript(manager: PackageManager, name: string): string[] {
  return manager === 'bun' ? ['bun', 'run', name] : manager === 'npm' && name !== 'start' ? ['npm', 'run', name] : [manager, name];
}

function startOf(pkg: PackageJson, facts: SourceFacts, manager: PackageManager, evidence: string[]): StartCommand | null {
  const runtime = manager === 'bun' ? 'bun' : 'node';
  if (scriptOf(pkg, 'start') !== null) {
    evidence.push(`start script: ${scriptOf(pkg, 'start') ?? ''}`);
    return { exec: runScript(manager, 'start') };
  }
  if (typeof pkg.main === 'string' && has(facts, pkg.main.replace(/^\.\//, ''))) {
    evidence.push(`main: ${pkg.main}`);
    return { exec: [runtime, pkg.main] };
  }
  const entry = hasAny(facts, ENTRY_FILES);
  if (entry) {
    evidence.push(`entry file: ${entry}`);
    return { exec: [runtime, entry] };
  }
  return null;
}

export function detectNode(facts: SourceFacts, text: string): NodeApp {
  const pkg = parsePackageJson(text);
  const evidence = ['package.json'];
  const { manager, lockfile } = packageManagerOf(pkg, facts, evidence);
  const count = Object.keys(pkg.dependencies ?? {}).length + Object.keys(pkg.devDependencies ?? {}).length;
  const build = scriptOf(pkg, 'build') !== null;
  if (build) evidence.push(`build script: ${scriptOf(pkg, 'build') ?? ''}`);
  return {
    stack: manager === 'bun' ? 'bun' : 'node',
    packageManager: manager,
    lockfile,
    install: count > 0,
    yarnBerry: has(facts, '.yarnrc.yml'),
    workspaces: pkg.workspaces !== undefined || has(facts, 'pnpm-workspace.yaml'),
    build,
    start: startOf(pkg, facts, manager, evidence),
    evidence,
  };
}
