import type { AppUptime } from '../../../shared/api/uptime';
import type { EventBus } from '../events/event-bus';
import type { ServerLock } from '../locks/server-lock';
import { gatherHealthFacts, type HealthInput } from '../servers/health-check';
import { judgeHealth } from '../servers/health-verdict';
import type { LinkProvider } from '../ssh/server-link';
import { ServerWatch, type UptimeView } from './server-watch';
import { changeMessage, DEFAULT_TRACK, trackUptime, type TrackedUptime, type TrackOptions } from './uptime-tracker';

export interface UptimeWatchDeps {
  links: LinkProvider;
  bus: EventBus;
  view: UptimeView & { servers(): string[] };
  /** Tells whether another Berth holds an app's deploy lock: its deployment explains what the look saw. */
  lock: Pick<ServerLock, 'heldByOther'>;
  /** Time between two looks at a server (a few seconds). */
  intervalMs: number;
  track?: TrackOptions;
}

/**
 * Watches every live release while Berth runs: one ServerWatch per server that has one, each look judged by the same
 * verdict as `berth status` and tracked over time, "app down" and "back up" announced as notifications.
 */
export class UptimeWatch {
  private readonly watches = new Map<string, ServerWatch>();
  private readonly states = new Map<string, TrackedUptime>();
  private readonly track: TrackOptions;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly deps: UptimeWatchDeps) {
    this.track = deps.track ?? DEFAULT_TRACK;
  }

  start(): void {
    if (this.timer || this.closed) return;
    this.sync();
    this.timer = setInterval(() => this.sync(), this.deps.intervalMs);
    this.timer.unref();
  }

  list(serverId?: string): AppUptime[] {
    return [...this.states.values()].filter((s) => serverId === undefined || s.serverId === serverId).map(({ suspect: _suspect, ...uptime }) => uptime);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    const watches = [...this.watches.values()];
    this.watches.clear();
    await Promise.all(watches.map((w) => w.close()));
  }

  /** Watches exactly the servers with a live release, as the records say now. */
  private sync(): void {
    if (this.closed) return;
    const wanted = new Set(this.deps.view.servers().filter((id) => this.deps.view.live(id).length > 0));
    for (const [id, watch] of this.watches) {
      if (wanted.has(id)) continue;
      this.watches.delete(id);
      this.forget(id, new Set());
      void watch.close();
    }
    for (const id of wanted) {
      if (this.watches.has(id)) continue;
      this.watches.set(
        id,
        new ServerWatch(id, {
          links: this.deps.links,
          view: this.deps.view,
          intervalMs: this.deps.intervalMs,
          look: (watch, input) => this.look(watch, input),
        }),
      );
    }
  }

  private async look(watch: ServerWatch, input: HealthInput): Promise<void> {
    const serverId = watch.serverId;
    const facts = await gatherHealthFacts(this.deps.links, input);
    // a deployment that began while the look ran explains what it saw as well as one that was already under way
    const busyNow = this.deps.view.busy(serverId);
    for (const a of facts.apps) a.busy = a.busy ?? busyNow.get(a.app) ?? null;
    const health = judgeHealth(facts);
    const present = new Set(this.deps.view.apps(serverId));
    let suspect = false;
    for (const app of health.apps.filter((a) => present.has(a.app))) {
      const key = `${serverId}/${app.app}`;
      const prev = this.states.get(key);
      let tracked = trackUptime(prev, serverId, app, health.checkedAt, this.track);
      // another Berth deploying the app (it holds the app's lock on the server) explains it too: asked only now, it costs a command
      if (tracked.change === 'down' && (await this.otherBerthDeploying(serverId, app.app))) {
        const held = judgeHealth({ ...facts, apps: facts.apps.map((a) => (a.app === app.app ? { ...a, busy: 'another Berth holds its deploy lock' } : a)) });
        tracked = trackUptime(prev, serverId, held.apps.find((a) => a.app === app.app) ?? app, health.checkedAt, this.track);
      }
      const { next, change } = tracked;
      this.states.set(key, next);
      if (next.suspect) suspect = true;
      if (change) this.announce(change, next, prev);
      if (!prev || prev.state !== next.state || prev.reason !== next.reason) this.deps.bus.emit('uptime.changed', withoutSuspect(next));
    }
    this.forget(serverId, present);
    if (suspect) watch.nudge(this.track.confirmMs);
  }

  private async otherBerthDeploying(serverId: string, app: string): Promise<boolean> {
    try {
      const link = await this.deps.links.acquire(serverId);
      try {
        return await this.deps.lock.heldByOther(link, app);
      } finally {
        this.deps.links.release(serverId);
      }
    } catch {
      return false;
    }
  }

  private announce(change: 'down' | 'up', next: TrackedUptime, prev: TrackedUptime | undefined): void {
    const notice = { serverId: next.serverId, app: next.app, deploymentId: next.deploymentId, seq: next.seq, message: changeMessage(change, next, prev) };
    this.deps.bus.emit(change === 'down' ? 'notifications.appDown' : 'notifications.appUp', notice);
  }

  /** Apps removed (or a server no longer watched) leave the list; the window is told they are unknown now. */
  private forget(serverId: string, present: Set<string>): void {
    for (const [key, state] of this.states) {
      if (state.serverId !== serverId || present.has(state.app)) continue;
      this.states.delete(key);
      this.deps.bus.emit('uptime.changed', { ...withoutSuspect(state), state: 'unknown', reason: null });
    }
  }
}

function withoutSuspect(state: TrackedUptime): AppUptime {
  const { suspect: _suspect, ...uptime } = state;
  return uptime;
}
