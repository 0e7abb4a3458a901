/**
 * `npx tsx bench/deploy.ts` (needs the sandbox: test/sandbox/up). Prints name=value lines:
 * - a local-folder deploy through Berth (tar through the tunnel, build, start, probe, proxy switch), phase by phase,
 *   against `docker build` + `docker run` + waiting for /health, run directly on the same server in the same run;
 *   `deploy_vs_direct` is the ratio of their medians (goal ≤ 1.1);
 * - log throughput of a container's 1M lines to an engine subscriber (`log_lines_per_s`, goal ≥ 200000) and how
 *   much the engine's memory grew meanwhile (`log_rss_growth_mb`, goal < 50);
 * - the engine's memory growth while following one 50 MB line without a newline (`log_long_line_rss_mb`, goal ≤ 100)
 *   against the same 50 MB printed as 1 KiB lines (`log_long_line_baseline_rss_mb`);
 * - a deploy of a folder with a 50 MB file after a 1 KiB file of it changed, against the same build, start and health
 *   wait run on the server (`context_50mb_vs_direct`, goal ≤ 1.1), and the bytes that deploy sent to keep the
 *   server's copy of the context (`context_resend_bytes`, goal < 64 KiB).
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Deployment } from '../shared/api/deployments';
import { phaseDurations } from '../electron/core/deploy/state-machine';
import { createDeployBed, docker, removeByPrefix, uniquePrefix } from '../test/support/deploy-bed';
import { loadSandbox } from '../test/support/sandbox';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LOG_LINES = Number(process.env.BENCH_LOG_LINES ?? 1_000_000);

const prefix = uniquePrefix('bd');
const app = `${prefix}-web`;
const fixture = loadSandbox().fixtures.webApp;

function print(name: string, value: number | string): void {
  process.stdout.write(`${name}=${typeof value === 'number' ? Number(value.toFixed(3)) : value}\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

const bed = await createDeployBed();
const serverId = bed.servers.s1;

async function onServer(command: string): Promise<void> {
  const link = await bed.engine.pool.acquire(serverId);
  try {
    const result = await link.exec(command, { timeoutMs: 120_000 });
    if (result.code !== 0) throw new Error(`${command.slice(0, 80)}… failed: ${result.stderr}`);
  } finally {
    bed.engine.pool.release(serverId);
  }
}

async function berthDeploy(version: string): Promise<{ ms: number; record: Deployment }> {
  await bed.call('apps.update', { serverId, name: app, patch: { build: { args: { VERSION: version } } } });
  const started = performance.now();
  const queued = await bed.call('deployments.deploy', { serverId, app });
  const record = await bed.waitFor(serverId, queued.id, ['live', 'failed'], 120_000);
  // waitFor polls every 100 ms: the record's own times are exact
  const ms = Date.parse(record.finishedAt ?? '') - Date.parse(record.timestamps.queued ?? '');
  if (record.status !== 'live') throw new Error(`bench deploy failed: ${record.error?.message}`);
  void started;
  return { ms, record };
}

/** The same work by hand on the server: build the same context, run it, wait for /health. */
async function directDeploy(version: string, round: number): Promise<number> {
  const name = `${prefix}-direct-${round}`;
  const started = performance.now();
  await onServer(
    [
      `DOCKER_BUILDKIT=0 /usr/bin/docker build -q -t ${prefix}-direct:${round} --build-arg VERSION=${version} ${fixture} >/dev/null`,
      `/usr/bin/docker run -d --init --name ${name} --network berth ${prefix}-direct:${round} >/dev/null`,
      `ip=$(/usr/bin/docker inspect -f '{{(index .NetworkSettings.Networks "berth").IPAddress}}' ${name})`,
      `until busybox wget -q -O /dev/null http://$ip:8080/health 2>/dev/null; do sleep 0.02; done`,
    ].join(' && '),
  );
  const ms = performance.now() - started;
  await docker('s1', ['rm', '-f', name]);
  return ms;
}

try {
  await bed.call('apps.create', {
    serverId,
    name: app,
    source: { kind: 'folder', path: fixture },
    runtime: { domains: [`${app}.test`], healthCheck: { kind: 'http', path: '/health', intervalMs: 1000, timeoutMs: 2000, retries: 10, startPeriodMs: 0 } },
  });
  // warm-up: the proxy, the network and the base layers exist before anything is timed
  await berthDeploy('warm');
  await directDeploy('warm', 0);

  const berth: number[] = [];
  const direct: number[] = [];
  const phases: Record<string, number[]> = { queued: [], build: [], start: [], health: [], switch: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    const version = `b${round}-${Date.now().toString(36)}`;
    // alternate the order so neither side always runs on a warmer machine
    if (round % 2) direct.push(await directDeploy(version, round));
    const { ms, record } = await berthDeploy(version);
    berth.push(ms);
    if (!(round % 2)) direct.push(await directDeploy(`${version}d`, round));
    const p = phaseDurations(record);
    phases.queued?.push(p.queuedMs ?? NaN);
    phases.build?.push(p.buildMs ?? NaN);
    phases.start?.push(p.startMs ?? NaN);
    phases.health?.push(p.healthMs ?? NaN);
    phases.switch?.push(record.switch?.durationMs ?? NaN);
  }
  for (const [name, values] of Object.entries(phases)) print(`deploy_phase_${name}_ms`, median(values));
  print('deploy_total_ms', median(berth));
  print('direct_build_run_healthy_ms', median(direct));
  print('deploy_vs_direct', median(berth) / median(direct));

  await contextCache();
  await logThroughput();
  await longLine();
} finally {
  await bed.call('apps.remove', { serverId, name: app }).catch(() => undefined);
  await bed.call('apps.remove', { serverId, name: `${app}-ctx` }).catch(() => undefined);
  await bed.close();
  await removeByPrefix('s1', prefix);
}

async function logThroughput(): Promise<void> {
  const name = `${prefix}-logs`;
  // An app container (by its labels) that prints LOG_LINES lines and then idles.
  await docker('s1', [
    'run', '-d', '--init', '--name', `${name}-1-0`,
    '--label', 'berth.managed=true', '--label', 'berth.role=app', '--label', `berth.app=${name}`, '--label', 'berth.deployment=bench',
    'berth-test/base:latest', 'sh', '-c', `seq 1 ${LOG_LINES}; sleep 600`,
  ]);
  const deadline = Date.now() + 120_000;
  while ((await docker('s1', ['logs', '--tail', '1', `${name}-1-0`])).trim() !== String(LOG_LINES)) {
    if (Date.now() > deadline) throw new Error('the log container did not finish printing');
    await new Promise((r) => setTimeout(r, 200));
  }
  // a short follow first, so code and buffers that any follow needs are in place before memory is measured
  await followLines(name, 20_000);
  const rssBefore = process.memoryUsage().rss;
  const run = await followLines(name, LOG_LINES);
  print('log_lines', run.received);
  print('log_lines_per_s', Math.round(run.received / (run.ms / 1000)));
  print('log_first_line_ms', run.firstMs);
  print('log_rss_growth_mb', (run.peakRss - rssBefore) / 1024 / 1024);
}

async function longLine(): Promise<void> {
  const size = 50 * 1024 * 1024;
  const baseline = await followUntilDone(`${prefix}-short`, `head -c ${size} /dev/zero | tr '\\000' x | fold -w 1023; echo`);
  const long = await followUntilDone(`${prefix}-long`, `head -c ${size} /dev/zero | tr '\\000' x; echo`);
  print('log_long_line_rss_mb', long);
  print('log_long_line_baseline_rss_mb', baseline);
}

/** Peak growth of this process's RSS (MB) while following a container that prints `script` and then `done`. */
async function followUntilDone(name: string, script: string): Promise<number> {
  await docker('s1', [
    'run', '-d', '--init', '--name', `${name}-1-0`,
    '--label', 'berth.managed=true', '--label', 'berth.role=app', '--label', `berth.app=${name}`, '--label', 'berth.deployment=bench',
    'berth-test/base:latest', 'sh', '-c', `${script}; echo done; sleep 600`,
  ]);
  const deadline = Date.now() + 120_000;
  while ((await docker('s1', ['logs', '--tail', '1', `${name}-1-0`])).trim() !== 'done') {
    if (Date.now() > deadline) throw new Error('the log container did not finish printing');
    await new Promise((r) => setTimeout(r, 200));
  }
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const done = new Promise<void>((resolve) => {
    const off = bed.engine.bus.on('logs.lines', (batch) => {
      if (batch.lines.some((l) => l.text === 'done')) {
        off();
        resolve();
      }
    });
  });
  const follow = await bed.call('logs.followApp', { serverId, app: name, tail: 10_000_000, timestamps: true });
  await done;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  await bed.call('logs.unfollow', { followId: follow.followId });
  return (peak - before) / 1024 / 1024;
}

/** Follows the app's last `count` lines to a subscriber that only counts them; returns when the last one came. */
async function followLines(app: string, count: number): Promise<{ received: number; ms: number; firstMs: number; peakRss: number }> {
  let peakRss = process.memoryUsage().rss;
  let received = 0;
  let firstAt = 0;
  let lastText = '';
  const done = new Promise<number>((resolve) => {
    const off = bed.engine.bus.on('logs.lines', (batch) => {
      if (firstAt === 0) firstAt = performance.now();
      received += batch.lines.length;
      lastText = batch.lines[batch.lines.length - 1]?.text ?? lastText;
      if (received % 50_000 < batch.lines.length) peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (received >= count) {
        off();
        resolve(performance.now());
      }
    });
  });
  const started = performance.now();
  const follow = await bed.call('logs.followApp', { serverId, app, tail: count, timestamps: true });
  const ended = await done;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  await bed.call('logs.unfollow', { followId: follow.followId });
  if (lastText !== String(LOG_LINES)) throw new Error(`the last line was ${lastText}, not ${LOG_LINES}`);
  return { received, ms: ended - started, firstMs: firstAt - started, peakRss };
}

async function contextCache(): Promise<void> {
  const name = `${app}-ctx`;
  const folder = mkdtempSync(join(tmpdir(), `${prefix}-ctx-`));
  cpSync(fixture, folder, { recursive: true });
  writeFileSync(join(folder, 'data.bin'), randomBytes(50 * 1024 * 1024));
  const touch = (): void => writeFileSync(join(folder, 'note.txt'), randomBytes(512).toString('hex'));
  touch();
  try {
    await bed.call('apps.create', {
      serverId,
      name,
      source: { kind: 'folder', path: folder },
      runtime: { domains: [`${name}.test`], healthCheck: { kind: 'http', path: '/health', intervalMs: 1000, timeoutMs: 2000, retries: 10, startPeriodMs: 0 } },
    });
    const deployOnce = async (version: string): Promise<{ ms: number; sentBytes: number }> => {
      await bed.call('apps.update', { serverId, name, patch: { build: { args: { VERSION: version } } } });
      const queued = await bed.call('deployments.deploy', { serverId, app: name });
      const record = await bed.waitFor(serverId, queued.id, ['live', 'failed'], 120_000);
      if (record.status !== 'live') throw new Error(`bench deploy failed: ${record.error?.message}`);
      const { lines } = await bed.call('logs.deployment', { serverId, deploymentId: record.id });
      const sent = lines.find((l) => l.text.startsWith('Sent '))?.text ?? '';
      const [, amount = 'NaN', unit = 'B'] = /^Sent ([\d.]+) (B|KiB|MiB) for the build context/.exec(sent) ?? [];
      return {
        ms: Date.parse(record.finishedAt ?? '') - Date.parse(record.timestamps.queued ?? ''),
        sentBytes: Number(amount) * ({ B: 1, KiB: 1024, MiB: 1024 * 1024 }[unit] ?? NaN),
      };
    };
    const direct = async (version: string, round: number): Promise<number> => {
      const container = `${prefix}-ctxdirect-${round}`;
      const started = performance.now();
      await onServer(
        [
          `DOCKER_BUILDKIT=1 /usr/bin/docker build -q -t ${prefix}-ctxdirect:${round} --build-arg VERSION=${version} ${folder} >/dev/null`,
          `/usr/bin/docker run -d --init --name ${container} --network berth ${prefix}-ctxdirect:${round} >/dev/null`,
          `ip=$(/usr/bin/docker inspect -f '{{(index .NetworkSettings.Networks "berth").IPAddress}}' ${container})`,
          `until busybox wget -q -O /dev/null http://$ip:8080/health 2>/dev/null; do sleep 0.02; done`,
        ].join(' && '),
      );
      const ms = performance.now() - started;
      await docker('s1', ['rm', '-f', container]);
      return ms;
    };
    // the first deploy fills the server's copy of the context; every timed one follows a 1 KiB change
    await deployOnce('ctx-warm');
    await direct('ctx-warm', 0);
    const berth: number[] = [];
    const onServerDirect: number[] = [];
    const sent: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const version = `c${round}-${Date.now().toString(36)}`;
      touch();
      if (round % 2) onServerDirect.push(await direct(`${version}d`, round));
      const run = await deployOnce(version);
      berth.push(run.ms);
      sent.push(run.sentBytes);
      if (!(round % 2)) onServerDirect.push(await direct(`${version}d`, round));
    }
    print('context_50mb_deploy_ms', median(berth));
    print('context_50mb_direct_ms', median(onServerDirect));
    print('context_50mb_vs_direct', median(berth) / median(onServerDirect));
    print('context_resend_bytes', Math.round(median(sent)));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
