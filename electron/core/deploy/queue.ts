import { BerthError } from '../../../shared/errors';

/** One waiting or running deployment, keyed by server and app. */
interface Job {
  serverId: string;
  app: string;
  id: string;
}

interface Lane {
  waiting: Job[];
  active: { job: Job; controller: AbortController; done: Promise<void> } | undefined;
}

export type JobRunner = (job: Job, signal: AbortSignal) => Promise<void>;

/**
 * One deployment per app at a time: each app has a FIFO lane; the next job starts when the running one settles.
 * Different apps run side by side. Cancelling a waiting job takes it out of its lane; cancelling the running one
 * aborts its signal, and the job itself undoes what it started.
 */
export class DeployQueue {
  private readonly lanes = new Map<string, Lane>();

  constructor(private readonly runner: JobRunner) {}

  enqueue(job: Job): void {
    const lane = this.lane(job.serverId, job.app);
    lane.waiting.push(job);
    this.pump(job.serverId, job.app);
  }

  /** Removes a job that has not started; false if it is not waiting. */
  dequeue(serverId: string, app: string, id: string): boolean {
    const lane = this.lanes.get(key(serverId, app));
    const index = lane?.waiting.findIndex((j) => j.id === id) ?? -1;
    if (!lane || index < 0) return false;
    lane.waiting.splice(index, 1);
    return true;
  }

  /** Aborts the running job with this id; resolves when it has settled. Undefined if it is not running. */
  abort(id: string): Promise<void> | undefined {
    for (const lane of this.lanes.values()) {
      if (lane.active?.job.id === id) {
        lane.active.controller.abort(new BerthError('CANCELLED', 'Cancelled by the user.'));
        return lane.active.done;
      }
    }
    return undefined;
  }

  isRunning(id: string): boolean {
    return [...this.lanes.values()].some((l) => l.active?.job.id === id);
  }

  isQueued(id: string): boolean {
    return [...this.lanes.values()].some((l) => l.active?.job.id === id || l.waiting.some((j) => j.id === id));
  }

  /** Running and waiting jobs, per lane in the order they will run. */
  snapshot(): Job[] {
    const out: Job[] = [];
    for (const lane of this.lanes.values()) {
      if (lane.active) out.push(lane.active.job);
      out.push(...lane.waiting);
    }
    return out;
  }

  /** Resolves once nothing runs or waits. */
  async idle(): Promise<void> {
    for (;;) {
      const active = [...this.lanes.values()].map((l) => l.active?.done).filter((d): d is Promise<void> => d !== undefined);
      if (active.length === 0) return;
      await Promise.all(active);
    }
  }

  /** Aborts every running job and drops the waiting ones (engine shutdown): they end interrupted, not cancelled. */
  async abortAll(): Promise<Job[]> {
    const dropped: Job[] = [];
    for (const lane of this.lanes.values()) {
      dropped.push(...lane.waiting);
      lane.waiting = [];
      lane.active?.controller.abort(new BerthError('INTERRUPTED', 'Berth was closing while this deployment ran; the live version was not touched.'));
    }
    await this.idle();
    return dropped;
  }

  private lane(serverId: string, app: string): Lane {
    const k = key(serverId, app);
    let lane = this.lanes.get(k);
    if (!lane) {
      lane = { waiting: [], active: undefined };
      this.lanes.set(k, lane);
    }
    return lane;
  }

  private pump(serverId: string, app: string): void {
    const k = key(serverId, app);
    const lane = this.lanes.get(k);
    if (!lane || lane.active) return;
    const job = lane.waiting.shift();
    if (!job) {
      this.lanes.delete(k);
      return;
    }
    const controller = new AbortController();
    const done = this.runner(job, controller.signal)
      .catch(() => undefined)
      .finally(() => {
        lane.active = undefined;
        this.pump(serverId, app);
      });
    lane.active = { job, controller, done };
  }
}

function key(serverId: string, app: string): string {
  return `${serverId}\u0000${app}`;
}
