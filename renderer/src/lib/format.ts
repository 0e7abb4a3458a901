/** Small, pure formatting helpers shared by every view. */

export function timeAgo(iso: string | undefined | null, now: number = Date.now()): string {
  if (!iso) return '—';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '—';
  const s = Math.round((now - then) / 1000);
  if (s < 10) return 'now';
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d < 60) return `${d} d ago`;
  return new Date(then).toISOString().slice(0, 10);
}

/** 41_000 → "0:41", 3_725_000 → "1:02:05". */
export function duration(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms) || ms < 0) return '—';
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** Short durations for phases and switch gaps: "11 ms", "2.4 s", "1:02". */
export function shortDuration(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  return duration(ms);
}

export function bytes(n: number | undefined | null): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** "sha256:9f2c…" → "9f2c41a0b1" — enough to tell images apart at a glance. */
export function shortImage(id: string | undefined | null): string {
  if (!id) return '—';
  const bare = id.startsWith('sha256:') ? id.slice(7) : id;
  return bare.length > 12 && /^[0-9a-f]+$/.test(bare) ? bare.slice(0, 10) : bare;
}

export function shortCommit(sha: string | undefined | null): string {
  return sha ? sha.slice(0, 7) : '—';
}

export function clockTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour12: false });
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
/** How the command key is written on this platform: ⌘K on a Mac, Ctrl+K elsewhere. */
export const modKey = isMac ? '⌘' : 'Ctrl+';
