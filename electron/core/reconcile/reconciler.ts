import type { ReconcileReport } from '../../../shared/api/deployments';
import { BerthError, toEnvelope } from '../../../shared/errors';
import type { ServerLookup } from '../deploy/pipeline';
import { IN_PROGRESS_STATUSES } from '../deploy/state-machine';
import type { LinkProvider, ServerLink } from '../ssh/server-link';
import { isStale, markUnreachable, reconcileServer, type ReconcileDeps } from './reconcile-server';

const REACH_TIMEOUT_MS = 15_000;

export interface ReconcilerDeps extends ReconcileDeps {
  links: LinkProvider;
  servers: ServerLookup;
}

/**
 * Runs reconciliation per server, one pass at a time, and lets readers wait for it: at start-up for every server with
 * a record left in progress, and whenever a server (re)connects, so a deployment another Berth made is noticed when
 * the user next looks. Closing the engine aborts passes in flight without touching their records: a short CLI
 * command that ends early is not a server that could not be reached.
 */
export class Reconciler {
  private readonly inflight = new Map<string, Promise<ReconcileReport | null>>();
  private readonly closing = new AbortController();

  constructor(private readonly deps: ReconcilerDeps) {}

  /** Reconciles every server holding a record that no live process runs. */
  async startup(): Promise<void> {
    const servers = this.deps.store.servers().filter((s) => this.deps.store.withStatus(s, IN_PROGRESS_STATUSES).some((d) => isStale(this.deps, d)));
    await Promise.all(servers.map((s) => this.run(s).catch(() => null)));
  }

  /** One pass over a server; a pass already under way is joined rather than doubled. */
  run(serverId: string): Promise<ReconcileReport | null> {
    const running = this.inflight.get(serverId);
    if (running) return running;
    const pass = this.pass(serverId).finally(() => this.inflight.delete(serverId));
    this.inflight.set(serverId, pass);
    return pass;
  }

  /** For the reconcile method: a pass that the engine's closing cut short is an error, not an empty report. */
  async report(serverId: string): Promise<ReconcileReport> {
    const report = await this.run(serverId);
    if (!report) throw new BerthError('CANCELLED', 'Berth is closing; the records were left as they were.');
    return report;
  }

  /** Whether a pass is under way for this server. */
  pending(serverId: string): boolean {
    return this.inflight.has(serverId);
  }

  /** Waits up to `maxMs` for a pass in flight; true when none is left running. */
  async settled(serverId: string, maxMs: number): Promise<boolean> {
    const running = this.inflight.get(serverId);
    if (!running) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), maxMs)));
    const done = running.then(
      () => true,
      () => true,
    );
    const result = await Promise.race([done, timeout]);
    clearTimeout(timer);
    return result;
  }

  async close(): Promise<void> {
    this.closing.abort();
    await Promise.all([...this.inflight.values()].map((p) => p.catch(() => null)));
  }

  private async pass(serverId: string): Promise<ReconcileReport | null> {
    const signal = this.closing.signal;
    if (signal.aborted) return null;
    const server = await this.deps.servers(serverId);
    const leased = await this.lease(serverId, signal);
    if (signal.aborted) {
      if (leased.link) this.deps.links.release(serverId);
      return null;
    }
    if (!leased.link) return markUnreachable(this.deps, serverId, leased.why);
    try {
      return await reconcileServer(this.deps, { serverId, server, link: leased.link, signal });
    } finally {
      this.deps.links.release(serverId);
    }
  }

  /** The server's link, or why it could not be had; gives up early (and hands a late lease back) when closing. */
  private lease(serverId: string, signal: AbortSignal): Promise<{ link: ServerLink; why?: undefined } | { link?: undefined; why: string }> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (value: { link: ServerLink } | { why: string }): void => {
        if (done) {
          if ('link' in value) this.deps.links.release(serverId);
          return;
        }
        done = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const onAbort = (): void => finish({ why: 'Berth is closing' });
      const timer = setTimeout(() => finish({ why: `no answer within ${REACH_TIMEOUT_MS / 1000} s` }), REACH_TIMEOUT_MS);
      signal.addEventListener('abort', onAbort, { once: true });
      this.deps.links.acquire(serverId).then(
        (link) => finish({ link }),
        (error: unknown) => finish({ why: toEnvelope(error).message }),
      );
    });
  }
}
