import { setTimeout as sleep } from 'node:timers/promises';
import type { Deployment, DeploymentStatus } from '../../shared/api/deployments';
import type { EventData } from '../../shared/api';
import { toEnvelope } from '../../shared/errors';
import type { CliContext } from './context';
import { duration, shortDuration } from '../../shared/format';
import { ProgressOrder } from './progress';
import { onInterrupt, printError } from './run';

/** Where a deployment's own run ends; stepping down later (superseded, rolled back) is another deployment's doing. */
const FINAL: ReadonlySet<DeploymentStatus> = new Set(['live', 'failed', 'cancelled', 'rolled-back', 'superseded', 'interrupted']);

export function isFinal(status: DeploymentStatus): boolean {
  return FINAL.has(status);
}

export interface WatchOptions {
  /** Print the build and deploy log as it is written. */
  followBuild: boolean;
  /** How the first progress line starts, e.g. `Deploying` (then `web #3 on prod-eu`). */
  verb: string;
}

type Watch = EventData<'deployments.watch'>;
type LogLine = EventData<'deployments.log'>['lines'][number];

const TAIL_ON_FAILURE = 20;
const QUEUE_POLL_MS = 100;
/** The watch window starts as the run ends; if none has started by then, none will. */
const WATCH_START_MS = 3000;

/**
 * Everything the engine says about deployments during one command, kept from before the first call, so no phase,
 * log line or watch verdict is missed however fast it comes. Prints phases (and, when asked, the log) on stderr.
 */
export class DeploymentFollower {
  private readonly began = Date.now();
  private readonly statuses = new Map<string, DeploymentStatus[]>();
  private readonly logs = new Map<string, LogLine[]>();
  private readonly watches = new Map<string, Watch[]>();
  private readonly rollbacks = new Map<string, string>();
  private readonly waiters = new Set<() => void>();
  private readonly offs: Array<() => void>;
  private printing: { id: string; order: ProgressOrder; last?: DeploymentStatus } | undefined;

  constructor(
    private readonly ctx: CliContext,
    private readonly options: WatchOptions,
  ) {
    const push = <T>(map: Map<string, T[]>, id: string, ...items: T[]): void => {
      map.set(id, [...(map.get(id) ?? []), ...items]);
      for (const wake of [...this.waiters]) wake();
    };
    this.offs = [
      ctx.on('deployments.changed', (d) => {
        push(this.statuses, d.id, d.status);
        if (this.printing?.id === d.id && d.status !== this.printing.last) {
          this.printing.last = d.status;
          this.printing.order.phase(d.status, Date.now());
        }
      }),
      ctx.on('deployments.log', (batch) => {
        push(this.logs, batch.deploymentId, ...batch.lines);
        if (this.printing?.id === batch.deploymentId) this.printing.order.lines(batch.lines);
      }),
      ctx.on('deployments.watch', (w) => push(this.watches, w.deploymentId, w)),
      ctx.on('notifications.autoRolledBack', (n) => {
        if (n.rollbackId) this.rollbacks.set(n.deploymentId, n.rollbackId);
        push(this.watches, n.deploymentId);
      }),
    ];
  }

  dispose(): void {
    for (const off of this.offs) off();
  }

  /** Starts a deployment and follows it to the end of its run; Ctrl+C cancels exactly that deployment. */
  async run(start: () => Promise<Deployment>): Promise<Deployment> {
    const queued = await start();
    this.ctx.out.note(`${this.options.verb} ${this.ctx.out.paintErr('bold', `${queued.app} #${queued.seq}`)} on ${queued.serverId}${queued.title ? ` — ${queued.title}` : ''}`);
    const stop = onInterrupt(() => {
      this.ctx.out.note(`Cancelling ${queued.app} #${queued.seq}; the live version keeps serving. (Press Ctrl+C again to quit at once.)`);
      this.ctx.call('deployments.cancel', { serverId: queued.serverId, deploymentId: queued.id }).catch((error: unknown) => printError(this.ctx.out, toEnvelope(error)));
    });
    try {
      return await this.follow(queued.serverId, queued.id, this.options.followBuild);
    } finally {
      stop();
    }
  }

  /**
   * Prints a deployment's phases until its run is over: its final status is recorded and its job has left the
   * engine's queue (after going live the job still retires the old version and starts the watch window).
   */
  async follow(serverId: string, id: string, followBuild: boolean): Promise<Deployment> {
    const { out } = this.ctx;
    const order = new ProgressOrder((item) => {
      if (item.kind === 'phase') {
        const tone = item.status === 'live' ? 'green' : isFinal(item.status) ? 'red' : 'blue';
        out.note(`${out.paintErr('grey', `[${shortDuration(item.at - this.began).padStart(7)}]`)} ${out.paintErr(tone, item.status)}`);
      } else if (followBuild) {
        out.note(`${' '.repeat(10)}${out.paintErr(item.line.stream === 'err' ? 'red' : 'dim', `│ ${item.line.text}`)}`);
      }
    });
    const printing: { id: string; order: ProgressOrder; last?: DeploymentStatus } = { id, order };
    for (const status of this.statuses.get(id) ?? []) {
      if (status !== printing.last) order.phase(status, Date.now());
      printing.last = status;
    }
    order.lines(this.logs.get(id) ?? []);
    this.printing = printing;
    await this.until(() => (this.statuses.get(id) ?? []).some(isFinal), async () => isFinal((await this.get(serverId, id)).status));
    while ((await this.ctx.call('deployments.queue', { serverId })).some((job) => job.id === id)) await sleep(QUEUE_POLL_MS);
    await new Promise((resolve) => setImmediate(resolve));
    order.flush();
    this.printing = undefined;
    const final = await this.get(serverId, id);
    if (final.status !== 'live' && !followBuild) {
      const tail = (this.logs.get(id) ?? []).slice(-TAIL_ON_FAILURE);
      if (tail.length > 0) out.note(out.paintErr('dim', `Last lines of its log (berth logs ${final.app} --deployment ${final.seq} has all of it):`));
      for (const line of tail) out.note(out.paintErr('dim', `  │ ${line.text}`));
    }
    return final;
  }

  /**
   * Stays for the watch window the engine runs after a release goes live (the app's rollback settings), and reports
   * its verdict. A failed watch starts an automatic rollback, which is followed to its end too. Ctrl+C stops
   * watching and leaves the release live.
   */
  async watch(d: Deployment): Promise<{ verdict: 'passed' | 'failed' | 'stopped' | 'none'; rollback?: Deployment }> {
    const { out } = this.ctx;
    const latest = (): Watch | undefined => this.watches.get(d.id)?.at(-1);
    await this.until(() => latest() !== undefined, async () => false, WATCH_START_MS);
    const started = latest();
    if (!started) return { verdict: 'none' };
    if (started.state === 'watching') {
      const seconds = Math.max(0, Math.round((Date.parse(started.until) - Date.now()) / 1000));
      out.note(`Watching ${d.app} #${d.seq} for ${seconds} s; a failing health check rolls it back. (Ctrl+C stops watching and leaves it live.)`);
    }
    let interrupted = false;
    const stop = onInterrupt(() => {
      interrupted = true;
      for (const wake of [...this.waiters]) wake();
    });
    try {
      await this.until(() => interrupted || (latest()?.state ?? 'watching') !== 'watching', async () => false);
    } finally {
      stop();
    }
    const verdict = interrupted ? 'stopped' : (latest()?.state as 'passed' | 'failed' | 'stopped');
    if (verdict === 'passed') out.note(`${out.paintErr('green', 'passed')} ${d.app} #${d.seq} stayed healthy through its watch window (${latest()?.probes ?? 0} probes).`);
    if (verdict === 'stopped') out.note(`Stopped watching ${d.app} #${d.seq}; it stays live.`);
    if (verdict !== 'failed') return { verdict };
    await this.until(() => this.rollbacks.has(d.id), async () => false, WATCH_START_MS);
    const rollbackId = this.rollbacks.get(d.id) ?? (await this.get(d.serverId, d.id)).autoRollback?.rollbackId;
    if (!rollbackId) return { verdict };
    out.note(`${out.paintErr('red', 'failed')} ${d.app} #${d.seq} failed its health check after going live; rolling back automatically.`);
    return { verdict, rollback: await this.follow(d.serverId, rollbackId, false) };
  }

  private get(serverId: string, id: string): Promise<Deployment> {
    return this.ctx.call('deployments.get', { serverId, deploymentId: id });
  }

  /** Resolves when `done()` holds (checked on every event, and once with `check` against the records) or at the timeout. */
  private async until(done: () => boolean, check: () => Promise<boolean>, timeoutMs?: number): Promise<void> {
    if (done() || (await check())) return;
    let wake: (() => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      wake = () => {
        if (done()) resolve();
      };
      this.waiters.add(wake);
      if (timeoutMs !== undefined) timer = setTimeout(resolve, timeoutMs);
      wake();
    });
    clearTimeout(timer);
    if (wake) this.waiters.delete(wake);
  }
}

/** The closing line of a deploy or rollback: what is live now, or why not. */
export function reportOutcome(ctx: CliContext, d: Deployment): void {
  const { out } = ctx;
  if (out.json) out.data(d);
  const took = d.finishedAt && d.timestamps.queued ? ` in ${duration(Date.parse(d.finishedAt) - Date.parse(d.timestamps.queued))}` : '';
  if (d.status === 'live' && !d.autoRollback) {
    if (!out.json) out.line(`${out.paint('green', '✔')} ${d.app} #${d.seq} is live on ${d.serverId}${took}.`);
    return;
  }
  const why = d.error ? `${d.error.message} ${out.paintErr('grey', `(${d.error.code})`)}` : 'it did not go live.';
  out.note(`${out.paintErr('red', '✖')} ${d.app} #${d.seq} ${d.status}${took}: ${why}`);
}
