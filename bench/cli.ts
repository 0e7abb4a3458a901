/**
 * `npm run bench -- cli`. Prints name=value lines, each the median of BENCH_ROUNDS runs taken in turns, so a busy
 * machine slows every figure alike:
 * - `node_start_ms`: `node -e 0`, the baseline;
 * - `cli_start_ms`: `berth --version` through bin/berth.mjs, as `npx berth` runs it (goal ≤ 150);
 * - `cli_history_0_ms` / `cli_history_2000_ms`: `berth history web` in a temp home where the app has no records /
 *   2,000 records written through the engine's store (goal: 2,000 records ≤ 200 beyond cli_start_ms);
 * - `store_concurrent_lost`: apps missing after two Berth processes create 40 each in one home at once (goal 0).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { berthPaths } from '../electron/core/home';
import { ReleaseStore } from '../electron/core/releases/release-store';
import { deployment } from '../test/unit/cli/fixtures';
import { runWriters } from '../test/support/store-writers';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const RECORDS = 2000;
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'berth.mjs');

function print(name: string, value: number): void {
  process.stdout.write(`${name}=${Number(value.toFixed(1))}\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

function berth(home: string, args: string[]): string {
  return execFileSync(process.execPath, [bin, '--home', home, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

/** A home with server `bench` (never contacted) and app `web` holding `records` deployments, the newest live. */
function seedHome(records: number): string {
  const home = mkdtempSync(join(tmpdir(), 'berth-bench-cli-'));
  writeFileSync(join(home, 'key'), '');
  berth(home, ['server', 'add', 'bench', '--host', '127.0.0.1', '-p', '9', '-i', join(home, 'key'), '--no-check']);
  berth(home, ['app', 'add', 'web', '--server', 'bench', '--folder', root]);
  const store = new ReleaseStore(berthPaths(home));
  for (let seq = 1; seq <= records; seq++) {
    const id = `web-${seq}-bench`;
    store.save(deployment(seq, { id, serverId: 'bench', status: seq === records ? 'live' : 'superseded', logPath: berthPaths(home).deploymentLog('bench', id) }));
  }
  return home;
}

function timed(args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr.toString()}`);
  return ms;
}

// Built (if stale) before anything is timed, so no run pays for a build.
execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });
const empty = seedHome(0);
const full = seedHome(RECORDS);
const runs = { node: [] as number[], start: [] as number[], empty: [] as number[], full: [] as number[] };
try {
  for (let round = 0; round < ROUNDS; round++) {
    runs.node.push(timed(['-e', '0']));
    runs.start.push(timed([bin, '--version']));
    runs.empty.push(timed([bin, '--home', empty, 'history', 'web']));
    runs.full.push(timed([bin, '--home', full, 'history', 'web']));
  }
} finally {
  rmSync(empty, { recursive: true, force: true });
  rmSync(full, { recursive: true, force: true });
}
print('node_start_ms', median(runs.node));
print('cli_start_ms', median(runs.start));
print('cli_history_0_ms', median(runs.empty));
print('cli_history_2000_ms', median(runs.full));

/** Two processes creating 40 apps each at the same moment in a fresh home: how many of the 80 are not there after. */
async function concurrentLost(): Promise<number> {
  const home = seedHome(0);
  try {
    await runWriters(home, 'apps', ['left', 'right'], 40, 'bench');
    const names = (JSON.parse(berth(home, ['app', 'list', '--server', 'bench', '--json'])) as { name: string }[]).map((a) => a.name);
    return 80 - names.filter((name) => name !== 'web').length;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
print('store_concurrent_lost', await concurrentLost());
