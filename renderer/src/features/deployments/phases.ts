import type { Deployment } from '../../../../shared/api/deployments';

export interface Phase {
  name: 'build' | 'start' | 'health' | 'switch';
  label: string;
  state: 'done' | 'running' | 'waiting' | 'failed' | 'skipped';
  ms?: number;
}

const order = ['building', 'starting', 'health-checking', 'live'] as const;

/** The four phases of a deployment with their times, from the status timestamps the engine records. */
export function phasesOf(d: Deployment, now: number = Date.now()): Phase[] {
  const t = d.timestamps;
  const at = (s: string | undefined) => (s ? Date.parse(s) : undefined);
  const end = at(d.finishedAt ?? undefined);
  const failed = ['failed', 'cancelled', 'rolled-back', 'interrupted'].includes(d.status);
  const marks = order.map((s) => at(t[s]));
  const phaseOf = (i: number, name: Phase['name'], label: string): Phase => {
    const start = marks[i];
    const next = marks.slice(i + 1).find((m) => m !== undefined);
    if (start === undefined) {
      const skipped = marks.slice(i + 1).some((m) => m !== undefined);
      return { name, label, state: skipped ? 'skipped' : 'waiting' };
    }
    if (next !== undefined) return { name, label, state: 'done', ms: next - start };
    if (failed) return { name, label, state: 'failed', ms: (end ?? now) - start };
    return { name, label, state: 'running', ms: now - start };
  };
  const phases = [phaseOf(0, 'build', 'Build'), phaseOf(1, 'start', 'Start'), phaseOf(2, 'health', 'Health')];
  const sw: Phase = d.switch
    ? { name: 'switch', label: 'Switch', state: 'done', ms: d.switch.durationMs }
    : { name: 'switch', label: 'Switch', state: failed ? 'skipped' : 'waiting' };
  if (d.status === 'live' && !d.switch) sw.state = 'done';
  return [...phases, sw];
}
