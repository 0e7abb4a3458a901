import type { DeploymentStatus } from '../../shared/api/deployments';

export interface LogEntry {
  at: string;
  stream: 'out' | 'err' | 'info';
  text: string;
}

export type ProgressItem = { kind: 'phase'; status: DeploymentStatus; at: number } | { kind: 'line'; line: LogEntry };

/**
 * Puts phases and log lines back in the order they happened. The engine announces a phase at once but sends log
 * lines in batches a little later, so a phase is held until a line written after it arrives (or `holdMs` passes)
 * and the build's last lines still print before "starting".
 */
export class ProgressOrder {
  private pending: Array<{ status: DeploymentStatus; at: number }> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (item: ProgressItem) => void,
    private readonly holdMs = 120,
  ) {}

  phase(status: DeploymentStatus, at: number): void {
    this.pending.push({ status, at });
    this.timer ??= setTimeout(() => this.flush(), this.holdMs);
  }

  lines(lines: readonly LogEntry[]): void {
    for (const line of lines) {
      const at = Date.parse(line.at);
      while (this.pending.length > 0 && !(at < this.pending[0]!.at)) this.emitPhase();
      this.write({ kind: 'line', line });
    }
  }

  /** Writes every held phase. */
  flush(): void {
    while (this.pending.length > 0) this.emitPhase();
  }

  private emitPhase(): void {
    const next = this.pending.shift();
    if (next) this.write({ kind: 'phase', ...next });
    if (this.pending.length === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
