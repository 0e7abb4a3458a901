import type { Deployment } from '../../../shared/api/deployments';
import type { Server } from '../../../shared/api/servers';
import { abortableSleep } from '../deploy/health-probe';
import type { ContainerExit } from '../servers/health-facts';
import type { HealthInput } from '../servers/health-check';
import { LOCAL_SERVER_ID } from '../servers/server-store';
import type { LinkProvider } from '../ssh/server-link';
import { followContainerEvents, sinceOf, withExit, type ContainerEvent } from './container-events';

/** What a look at one server needs from the records, read again on every look (another process may change them). */
export interface UptimeView {
  server(serverId: string): Server;
  apps(serverId: string): string[];
  live(serverId: string): Deployment[];
  busy(serverId: string): Map<string, string>;
}

export interface ServerWatchDeps {
  links: LinkProvider;
  view: UptimeView;
  intervalMs: number;
  /** Runs one look with the input gathered here; one at a time per server. */
  look(watch: ServerWatch, input: HealthInput): Promise<void>;
}

const EVENT_SETTLE_MS = 250;
const RESUME_MS = 1000;

/**
 * The watch over one server: a look every interval, one right after a container of an app dies (or turns healthy or
 * unhealthy), and one soon after a look that found an app suspect. The container events are followed through the
 * link for as long as the watch runs, resumed from the last one seen after the link drops.
 */
export class ServerWatch {
  private readonly controller = new AbortController();
  private readonly exits = new Map<string, ContainerExit[]>();
  private wake: (() => void) | null = null;
  private soon = false;
  private readonly done: Promise<void>;

  constructor(
    readonly serverId: string,
    private readonly deps: ServerWatchDeps,
  ) {
    this.done = Promise.all([this.loop(), this.follow()]).then(() => undefined);
  }

  /** Asks for a look shortly (an event, or an app found suspect). */
  nudge(afterMs = EVENT_SETTLE_MS): void {
    this.soon = true;
    setTimeout(() => this.wake?.(), afterMs).unref();
  }

  async close(): Promise<void> {
    this.controller.abort();
    this.wake?.();
    await this.done;
  }

  private async loop(): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      const view = this.deps.view;
      const live = view.live(this.serverId);
      const input: HealthInput = {
        server: view.server(this.serverId),
        local: this.serverId === LOCAL_SERVER_ID,
        apps: view.apps(this.serverId),
        live,
        busy: view.busy(this.serverId),
        exits: this.takeExits(live),
      };
      await this.deps.look(this, input).catch(() => undefined);
      if (signal.aborted) return;
      if (!this.soon) await this.sleep(this.deps.intervalMs);
      this.soon = false;
    }
  }

  private sleep(ms: number): Promise<void> {
    const signal = this.controller.signal;
    return new Promise((resolve) => {
      const inner = new AbortController();
      this.wake = () => inner.abort();
      const both = AbortSignal.any([signal, inner.signal]);
      void abortableSleep(ms, both).then(() => {
        this.wake = null;
        resolve();
      });
    });
  }

  /** The exits seen since the last look of each app's live release; older releases' containers do not count. */
  private takeExits(live: Deployment[]): Map<string, ContainerExit[]> {
    const out = new Map<string, ContainerExit[]>();
    for (const d of live) {
      const seen = this.exits.get(d.id);
      if (seen) out.set(d.app, seen);
    }
    this.exits.clear();
    return out;
  }

  private onEvent(event: ContainerEvent): void {
    if (event.action === 'die' || event.action === 'oom') {
      this.exits.set(event.deployment, withExit(this.exits.get(event.deployment) ?? [], event, new Date().toISOString()));
    }
    this.nudge();
  }

  private async follow(): Promise<void> {
    const signal = this.controller.signal;
    let since: number | undefined;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const link = await this.deps.links.acquire(this.serverId);
        try {
          await followContainerEvents(
            link,
            (event) => {
              failures = 0;
              since = sinceOf(event.timeNano) ?? since;
              this.onEvent(event);
            },
            signal,
            since,
          );
        } finally {
          this.deps.links.release(this.serverId);
        }
      } catch {
        // the link dropped or Docker restarted: the looks go on, and the follow resumes once the server answers
      }
      if (signal.aborted) return;
      failures++;
      await abortableSleep(Math.min(RESUME_MS * 2 ** (failures - 1), this.deps.intervalMs * 4), signal);
    }
  }
}
