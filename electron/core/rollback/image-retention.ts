import type { Deployment } from '../../../shared/api/deployments';
import { isInProgress } from '../deploy/state-machine';
import { keptAlways } from '../releases/kept-always';

/** A release that once went live and names its image: what a rollback can run again. */
export function wentLive(d: Deployment): boolean {
  return d.timestamps.live !== undefined && d.image !== null;
}

/** Rollback points newest first: the releases besides the live one that went live, by when they did. */
export function rollbackPoints(records: readonly Deployment[]): Deployment[] {
  return records
    .filter((d) => wentLive(d) && d.status !== 'live')
    .sort((a, b) => (b.timestamps.live ?? '').localeCompare(a.timestamps.live ?? '') || b.seq - a.seq);
}

export interface RetentionDecision {
  /** Image IDs that must stay on the server, with why (for the log). */
  keep: Map<string, string>;
  /** Image IDs that may go, with the deployments that ran them. */
  remove: Map<string, string[]>;
}

/**
 * Which of one app's release images stay on the server: the live one, the newest `keepLast` rollback points, pinned
 * releases, anything queued or running, and every image a container still uses (running or not). The rest may go.
 * Decided by image ID, since a rollback runs the same image as its target.
 */
export function decideRetention(records: readonly Deployment[], keepLast: number, inUse: ReadonlySet<string>): RetentionDecision {
  const keep = new Map<string, string>();
  const hold = (d: Deployment, why: string): void => {
    if (d.image && !keep.has(d.image.id)) keep.set(d.image.id, why);
  };
  for (const d of records) {
    const always = keptAlways(d);
    if (always) hold(d, always);
    if (d.image && inUse.has(d.image.id)) hold(d, `used by a container (#${d.seq})`);
  }
  rollbackPoints(records)
    .slice(0, keepLast)
    .forEach((d, i) => hold(d, `rollback point ${i + 1} of ${keepLast} (#${d.seq})`));

  const remove = new Map<string, string[]>();
  for (const d of records) {
    if (!d.image || keep.has(d.image.id) || d.imageRemoved) continue;
    remove.set(d.image.id, [...(remove.get(d.image.id) ?? []), d.id]);
  }
  return { keep, remove };
}

/** Why a rollback point cannot be deleted by hand, or null when it can. */
export function deletionRefusal(target: Deployment, records: readonly Deployment[], inUse: ReadonlySet<string>): string | null {
  if (!target.image) return `#${target.seq} has no image.`;
  const id = target.image.id;
  const live = records.find((d) => d.status === 'live' && d.image?.id === id);
  if (live) return live.id === target.id ? `#${target.seq} is live.` : `#${target.seq} runs the same image as the live #${live.seq}.`;
  const pinned = records.find((d) => d.pinned && d.image?.id === id);
  if (pinned) return pinned.id === target.id ? `#${target.seq} is pinned: unpin it first.` : `#${pinned.seq}, pinned, runs the same image.`;
  const running = records.find((d) => isInProgress(d.status) && d.image?.id === id);
  if (running) return `#${running.seq} is ${running.status} with this image.`;
  if (inUse.has(id)) return `A container on the server still uses this image.`;
  return null;
}
