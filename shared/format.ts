import type { AppSource, HealthCheck } from './api/apps';

/**
 * How ids, durations, sources and health checks read, the same in the desktop app, the browser and the terminal.
 * Pure: no Node, no DOM.
 */

/** `sha256:0123456789abcdef…` → `0123456789ab`, as `docker images` shows ids. */
export function shortImage(id: string | null | undefined): string {
  if (!id) return '—';
  const bare = id.startsWith('sha256:') ? id.slice(7) : id;
  return /^[0-9a-f]{13,}$/.test(bare) ? bare.slice(0, 12) : bare;
}

export function shortCommit(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 7) : '—';
}

/** A run's length, as a clock: 41_000 → `0:41`, 3_725_000 → `1:02:05`. */
export function duration(ms: number | null | undefined): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms) || ms < 0) return '—';
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** Phases, switch gaps and timeouts: `11 ms`, `2.4 s`, `12 s`, then as a clock from a minute on. */
export function shortDuration(ms: number | null | undefined): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  return duration(ms);
}

export function describeSource(source: AppSource): string {
  switch (source.kind) {
    case 'folder':
      return `folder ${source.path}`;
    case 'git':
      return `git ${source.url} @ ${source.ref}${source.withCredentials ? ' (with sealed credentials)' : ''}`;
    case 'image':
      return `image ${source.image}${source.pull === 'always' ? ' (pulled on every deploy)' : source.pull === 'never' ? ' (never pulled)' : ''}`;
    case 'archive':
      return source.root ? `archive (dropped), built from ${source.root}/` : 'archive (dropped)';
  }
}

/** 1536 → `1.5 KiB`: sizes in messages and views. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** Every part of a health check, its timing included, so two checks that differ never read the same. */
export function describeHealth(check: HealthCheck): string {
  const timing = `every ${shortDuration(check.intervalMs)}, timeout ${shortDuration(check.timeoutMs)}, ${check.retries} retries, start period ${shortDuration(check.startPeriodMs)}`;
  switch (check.kind) {
    case 'http':
      return `GET ${check.path}${check.port ? ` on :${check.port}` : ''}, ${timing}`;
    case 'tcp':
      return `TCP${check.port ? ` :${check.port}` : ''}, ${timing}`;
    case 'command':
      return `${check.command.join(' ')}, ${timing}`;
    case 'none':
      return 'none (running is healthy)';
  }
}

/** 1536 → `1.5 KB`: sizes freed or sent, as a sentence says them. */
export function byteSize(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
