/**
 * `npx tsx bench/rollback.ts` (needs the sandbox: test/sandbox/up). Prints name=value lines, all from one run on s1:
 * - `rollback_s`: from the rollback request to the target version answering through the edge proxy (median of
 *   BENCH_ROUNDS rollbacks, alternating between two releases), with the record's phases beside it;
 * - `redeploy_s`: the same for a redeploy from source of the same app (build, start, switch), for comparison;
 * - `failed_requests`: a request loop through the proxy runs throughout; every request that did not get a 2xx from
 *   the expected version or the previous one counts.
 * Goal: rollback_s ≤ 1.5 s plus the app's own boot time (`app_boot_s`, the busybox app: well under 0.5 s), 0 failed.
 */
import http from 'node:http';
import type { Deployment } from '../shared/api/deployments';
import { phaseDurations } from '../electron/core/deploy/state-machine';
import { createDeployBed, PROXY_PORTS, removeByPrefix, uniquePrefix } from '../test/support/deploy-bed';
import { loadSandbox } from '../test/support/sandbox';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const prefix = uniquePrefix('br');
const app = `${prefix}-web`;
const host = `${app}.test`;
const port = PROXY_PORTS.s1;

function print(name: string, value: number | string): void {
  process.stdout.write(`${name}=${typeof value === 'number' ? Number(value.toFixed(3)) : value}\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

function get(agent?: http.Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/', headers: { host }, agent: agent ?? false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: body.trim() }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Request loops through the proxy; `allowed` says which versions may answer right now. */
function loadLoop(loops = 4) {
  const stats = { ok: 0, failed: 0, errors: [] as string[] };
  let allowed = new Set<string>();
  let running = true;
  const runners = Array.from({ length: loops }, async (_, i) => {
    const agent = i % 2 === 0 ? new http.Agent({ keepAlive: true, maxSockets: 1 }) : undefined;
    while (running) {
      try {
        const answer = await get(agent);
        if (answer.status >= 200 && answer.status < 300 && allowed.has(answer.body)) stats.ok++;
        else {
          stats.failed++;
          if (stats.errors.length < 10) stats.errors.push(`HTTP ${answer.status} ${answer.body.slice(0, 60)}`);
        }
      } catch (error) {
        stats.failed++;
        if (stats.errors.length < 10) stats.errors.push((error as Error).message);
      }
    }
    agent?.destroy();
  });
  return {
    stats,
    allow(versions: string[]) {
      allowed = new Set(versions);
    },
    async stop() {
      running = false;
      await Promise.all(runners);
    },
  };
}

/** Polls through the proxy until `version` answers; returns when it first did. */
async function answers(version: string, timeoutMs = 120_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await get().catch(() => null);
    if (answer?.status === 200 && answer.body === version) return performance.now();
    if (Date.now() > deadline) throw new Error(`${version} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const bed = await createDeployBed();
const serverId = bed.servers.s1;

async function deploy(version: string): Promise<Deployment> {
  await bed.call('apps.update', { serverId, name: app, patch: { build: { args: { VERSION: version } } } });
  const queued = await bed.call('deployments.deploy', { serverId, app });
  const done = await bed.waitFor(serverId, queued.id, ['live', 'failed', 'rolled-back'], 120_000);
  if (done.status !== 'live') throw new Error(`deploy of ${version} ended ${done.status}: ${done.error?.message}`);
  await bed.engine.deploy.service.queue.idle();
  return done;
}

try {
  await bed.call('apps.create', {
    serverId,
    name: app,
    source: { kind: 'folder', path: loadSandbox().fixtures.webApp },
    runtime: { domains: [host], healthCheck: { kind: 'http', path: '/health', intervalMs: 1000, timeoutMs: 2000, retries: 10, startPeriodMs: 0 } },
  });
  // no watch window here: each rollback starts right after the previous one
  await bed.call('rollback.updateSettings', { serverId, app, patch: { watchMs: 0 } });
  const stamp = Date.now().toString(36);
  const a = `a-${stamp}`;
  const b = `b-${stamp}`;
  const releases = { [a]: await deploy(a), [b]: await deploy(b) };

  const load = loadLoop();
  let live = b;
  load.allow([live]);
  await new Promise((r) => setTimeout(r, 500));

  const rollbackS: number[] = [];
  const records: Deployment[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const target = live === a ? b : a;
    load.allow([live, target]);
    const started = performance.now();
    const queued = await bed.call('deployments.rollback', { serverId, app, target: releases[target]?.seq ?? 0 });
    const answered = await answers(target);
    rollbackS.push((answered - started) / 1000);
    records.push(await bed.waitFor(serverId, queued.id, ['live', 'failed'], 60_000));
    await bed.engine.deploy.service.queue.idle();
    live = target;
    load.allow([live]);
    await new Promise((r) => setTimeout(r, 300));
  }

  // a redeploy from source of the same app, for comparison: build, start, switch
  const c = `c-${stamp}`;
  await bed.call('apps.update', { serverId, name: app, patch: { build: { args: { VERSION: c } } } });
  load.allow([live, c]);
  const started = performance.now();
  const queued = await bed.call('deployments.deploy', { serverId, app });
  const redeployS = ((await answers(c)) - started) / 1000;
  const redeployed = await bed.waitFor(serverId, queued.id, ['live', 'failed'], 120_000);
  await bed.engine.deploy.service.queue.idle();
  load.allow([c]);
  await new Promise((r) => setTimeout(r, 300));
  await load.stop();

  const phase = (pick: (p: ReturnType<typeof phaseDurations>) => number | null) => median(records.map((r) => (pick(phaseDurations(r)) ?? NaN) / 1000));
  print('rollback_s', median(rollbackS));
  print('rollback_max_s', Math.max(...rollbackS));
  print('rollback_record_s', phase((p) => p.totalMs));
  print('rollback_phase_queued_s', phase((p) => p.queuedMs));
  print('rollback_phase_start_s', phase((p) => p.startMs));
  print('app_boot_s', phase((p) => p.healthMs));
  print('rollback_switch_s', median(records.map((r) => (r.switch?.durationMs ?? NaN) / 1000)));
  print('redeploy_s', redeployS);
  print('redeploy_build_s', (phaseDurations(redeployed).buildMs ?? NaN) / 1000);
  print('requests', load.stats.ok + load.stats.failed);
  print('failed_requests', load.stats.failed);
  if (load.stats.errors.length > 0) print('failed_examples', JSON.stringify(load.stats.errors));
  print('rollback_runs', records.map((r) => r.status).join(','));
} finally {
  await bed.call('apps.remove', { serverId, name: app }).catch(() => undefined);
  await bed.close();
  await removeByPrefix('s1', prefix);
}
