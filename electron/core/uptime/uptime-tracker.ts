import type { AppHealth } from '../../../shared/api/servers';
import type { AppUptime } from '../../../shared/api/uptime';

/** One app's verdict with what the next look needs: when it first looked down without being announced yet. */
export interface TrackedUptime extends AppUptime {
  /** When the down looks not yet announced began, and how many there were; null when the last look was not down. */
  suspect: { since: string; looks: number } | null;
}

export interface TrackOptions {
  /** Looks in a row that must find the app down before it is announced. */
  looks: number;
  /** And how long after the first of them: Berth's own short stops (an app removed) end within it. */
  confirmMs: number;
}

export const DEFAULT_TRACK: TrackOptions = { looks: 2, confirmMs: 2000 };

export type UptimeChange = 'down' | 'up' | null;

/**
 * The next verdict of one app from the last one and a new look at the server (the verdict `berth status` shows): down
 * only once seen down over `looks` looks and `confirmMs`, never while a deployment of the app is under way (the look
 * then says warning, with a reason), and back up as soon as it serves again. A server that cannot be reached says
 * nothing about the app: the last verdict stays.
 */
export function trackUptime(prev: TrackedUptime | undefined, serverId: string, health: AppHealth, at: string, options: TrackOptions = DEFAULT_TRACK): { next: TrackedUptime; change: UptimeChange } {
  const sameRelease = prev !== undefined && prev.deploymentId === health.deploymentId;
  const look = { serverId, app: health.app, deploymentId: health.deploymentId, seq: health.seq, detail: health.detail, checkedAt: at };
  const keep = (patch: Partial<TrackedUptime> = {}): { next: TrackedUptime; change: UptimeChange } => ({
    next: prev ? { ...prev, ...look, ...patch } : { ...look, state: 'unknown', reason: null, since: at, suspect: null, ...patch },
    change: null,
  });

  if (health.state === 'unchecked') {
    if (health.deploymentId !== null) return prev ? { next: { ...prev, checkedAt: at }, change: null } : keep();
    return { next: { ...look, state: 'unknown', reason: null, since: prev?.state === 'unknown' ? prev.since : at, suspect: null }, change: null };
  }
  // down but for a deployment under way: neither an alarm nor a recovery until it ends
  if (health.state === 'warning' && health.reason !== undefined) return keep({ suspect: null });

  if (health.state === 'down') {
    const reason = health.reason ?? health.detail;
    if (prev?.state === 'down' && sameRelease) return keep({ reason, suspect: null });
    const suspect = prev?.suspect && sameRelease ? { since: prev.suspect.since, looks: prev.suspect.looks + 1 } : { since: at, looks: 1 };
    const confirmed = suspect.looks >= options.looks && Date.parse(at) - Date.parse(suspect.since) >= options.confirmMs;
    if (!confirmed) return keep({ suspect });
    return { next: { ...look, state: 'down', reason, since: at, suspect: null }, change: 'down' };
  }

  const wasDown = prev?.state === 'down';
  return {
    next: { ...look, state: 'up', reason: null, since: prev?.state === 'up' ? prev.since : at, suspect: null },
    change: wasDown ? 'up' : null,
  };
}

/** The sentence a change is announced with. */
export function changeMessage(change: 'down' | 'up', uptime: AppUptime, previous?: AppUptime): string {
  const seq = uptime.seq !== null ? ` #${uptime.seq}` : '';
  if (change === 'down') return `${uptime.app}${seq} is down: ${uptime.reason ?? uptime.detail}.`;
  const downFor = previous?.state === 'down' ? ` after ${Math.max(1, Math.round((Date.parse(uptime.checkedAt) - Date.parse(previous.since)) / 1000))} s down` : '';
  return `${uptime.app}${seq} is back up${downFor}: ${uptime.detail}.`;
}
