import type { RetentionRule } from '../../../shared/api/apps';
import type { Deployment } from '../../../shared/api/deployments';
import { keptAlways } from './kept-always';

const DAY_MS = 86_400_000;

/**
 * Which of one app's deployments a retention rule lets go. History is unlimited until a rule is set; then a record
 * stays while any rule keeps it (among the last `keepLast`, or younger than `keepDays`). Live, running and pinned
 * deployments always stay.
 */
export function prunable(records: readonly Deployment[], rule: RetentionRule, now: Date): string[] {
  if (rule.keepLast === undefined && rule.keepDays === undefined) return [];
  const newestFirst = [...records].sort((a, b) => b.seq - a.seq);
  const out: string[] = [];
  newestFirst.forEach((record, index) => {
    if (keptAlways(record)) return;
    const byCount = rule.keepLast !== undefined && index < rule.keepLast;
    const queued = Date.parse(record.timestamps.queued ?? record.finishedAt ?? '');
    const byAge = rule.keepDays !== undefined && Number.isFinite(queued) && now.getTime() - queued < rule.keepDays * DAY_MS;
    if (!byCount && !byAge) out.push(record.id);
  });
  return out;
}
