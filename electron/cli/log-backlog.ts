export interface BacklogTimings {
  /** No line for this long: the backlog is over. */
  quietMs: number;
  /** Nothing at all by then: there is no backlog. */
  firstLineMs: number;
  /** A chatty app is never quiet: stop this long after the first line whatever comes. */
  maxMs: number;
}

export const backlogTimings: BacklogTimings = { quietMs: 500, firstLineMs: 3000, maxMs: 2000 };

/**
 * Decides when `berth logs APP` without -f has printed what was there: the engine only follows logs, so the backlog
 * ends when every container gave its `tail` lines, when no line came for a moment, or shortly after the first one
 * (an app that logs continuously is never quiet; a few of its new lines may be printed too).
 */
export class BacklogCutoff {
  private readonly counts = new Map<string, number>();
  private containers: string[] = [];
  private quiet: NodeJS.Timeout | undefined;
  private cap: NodeJS.Timeout | undefined;
  private done = false;

  constructor(
    private readonly tail: number,
    private readonly onDone: () => void,
    private readonly timings: BacklogTimings = backlogTimings,
  ) {}

  /** The follow is up and these containers are followed. */
  start(containers: string[]): void {
    this.containers = containers;
    if (this.tail === 0 || containers.length === 0) return this.finish();
    this.quiet ??= setTimeout(() => this.finish(), this.timings.firstLineMs);
  }

  /** Whether this line still belongs to the backlog (and should be printed). */
  accept(container: string): boolean {
    if (this.done) return false;
    const count = (this.counts.get(container) ?? 0) + 1;
    if (count > this.tail) return false;
    this.counts.set(container, count);
    this.cap ??= setTimeout(() => this.finish(), this.timings.maxMs);
    clearTimeout(this.quiet);
    this.quiet = setTimeout(() => this.finish(), this.timings.quietMs);
    if (this.containers.length > 0 && this.containers.every((c) => (this.counts.get(c) ?? 0) >= this.tail)) queueMicrotask(() => this.finish());
    return true;
  }

  dispose(): void {
    clearTimeout(this.quiet);
    clearTimeout(this.cap);
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.dispose();
    this.onDone();
  }
}
