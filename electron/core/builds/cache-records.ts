import type { Deployment } from '../../../shared/api/deployments';

/** One BuildKit cache record as `GET /system/df` lists it. */
export interface CacheRecord {
  ID: string;
  CreatedAt: string;
  InUse: boolean;
  Size: number;
}

/** A span of time, in this computer's clock (ms), during which one of the app's builds ran. */
export interface BuildWindow {
  from: number;
  to: number;
}

/** Records are stamped by the daemon a little after the step the deployment record saw begin or end. */
const SLACK_MS = 2000;

/** When the app's builds ran, from its deployment records: from `building` to the next status (or now, if still building). */
export function buildWindows(records: readonly Deployment[], now: number): BuildWindow[] {
  const windows: BuildWindow[] = [];
  for (const record of records) {
    const began = record.timestamps.building;
    if (record.kind !== 'deploy' || !began) continue;
    const ended = record.timestamps.starting ?? record.finishedAt ?? (record.status === 'building' ? new Date(now).toISOString() : null);
    if (ended) windows.push({ from: Date.parse(began), to: Date.parse(ended) });
  }
  return windows;
}

/**
 * The cache records the app's builds created: those the daemon stamped during one of its windows. BuildKit does not
 * label records by app, so a record another build made at the same moment counts too (it is only cache).
 * `serverAheadMs` is how far the server's clock runs ahead of this computer's. Newest first, so a child record is
 * pruned before the parent it holds on to.
 */
export function appCacheRecords(records: readonly CacheRecord[], windows: readonly BuildWindow[], serverAheadMs: number): CacheRecord[] {
  return records
    .filter((record) => {
      const at = Date.parse(record.CreatedAt) - serverAheadMs;
      return windows.some((w) => at >= w.from - SLACK_MS && at <= w.to + SLACK_MS);
    })
    .sort((a, b) => Date.parse(b.CreatedAt) - Date.parse(a.CreatedAt));
}
