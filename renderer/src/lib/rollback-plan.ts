import type { App, RuntimeView } from '../../../shared/api/apps';
import type { Deployment, ImageInfo, RuntimeSnapshot } from '../../../shared/api/deployments';
import { shortImage } from './format';

import type { RollbackMode } from '../../../shared/api/rollback';

export type { RollbackMode };

export interface EnvChange {
  key: string;
  kind: 'added' | 'removed' | 'changed';
  secret: boolean;
  from: string | null;
  to: string | null;
}

export interface PlanRow {
  label: string;
  from: string;
  to: string;
  changed: boolean;
}

export interface PlanView {
  imageNow: ImageInfo | null;
  imageTarget: ImageInfo | null;
  env: EnvChange[];
  /** Secrets set on both sides: their values never leave the engine, so they cannot be compared here. */
  secretsKept: number;
  rows: PlanRow[];
}

type Config = RuntimeSnapshot | RuntimeView;

/**
 * What a rollback changes, from the records alone: the live release's config against the one that would run.
 * Pure, so the dialog can show it before the engine answers and the logic is tested without a server.
 */
export function planView(target: Deployment, live: Deployment | undefined, app: App | undefined, mode: RollbackMode): PlanView {
  const next: Config = mode === 'redeploy' && app ? app.runtime : target.config;
  const now: Config | undefined = live?.config;
  const { env, secretsKept } = diffEnv(now?.env ?? [], next.env);
  return { imageNow: live?.image ?? null, imageTarget: target.image, env, secretsKept, rows: diffRows(now, next) };
}

export function diffEnv(
  before: ReadonlyArray<{ key: string; value: string | null; secret: boolean }>,
  after: ReadonlyArray<{ key: string; value: string | null; secret: boolean }>,
): { env: EnvChange[]; secretsKept: number } {
  const old = new Map(before.map((v) => [v.key, v]));
  const env: EnvChange[] = [];
  let secretsKept = 0;
  for (const v of after) {
    const was = old.get(v.key);
    old.delete(v.key);
    const secret = v.secret || (was?.secret ?? false);
    if (!was) env.push({ key: v.key, kind: 'added', secret, from: null, to: secret ? null : v.value });
    else if (secret) {
      if (was.secret !== v.secret) env.push({ key: v.key, kind: 'changed', secret, from: null, to: null });
      else secretsKept++;
    } else if (was.value !== v.value) env.push({ key: v.key, kind: 'changed', secret, from: was.value, to: v.value });
  }
  for (const was of old.values()) env.push({ key: was.key, kind: 'removed', secret: was.secret, from: was.secret ? null : was.value, to: null });
  return { env: env.sort((a, b) => a.key.localeCompare(b.key)), secretsKept };
}

function diffRows(now: Config | undefined, next: Config): PlanRow[] {
  const row = (label: string, show: (c: Config) => string): PlanRow => {
    const to = show(next);
    const from = now ? show(now) : '—';
    return { label, from, to, changed: now !== undefined && from !== to };
  };
  return [
    row('Ports', ports),
    row('Health', health),
    row('Limits', limits),
    row('Replicas', (c) => String(c.replicas)),
    row('Domains', (c) => (c.domains.length ? c.domains.join(', ') : 'none')),
    row('Volumes', (c) => (c.volumes.length ? c.volumes.map((v) => `${v.source}:${v.target}${v.readOnly ? ':ro' : ''}`).join(', ') : 'none')),
    row('Command', (c) => (c.command ? c.command.join(' ') : 'image default')),
  ];
}

export function ports(c: Config): string {
  const parts = [];
  if (c.httpPort !== null) parts.push(`${c.httpPort} via proxy`);
  for (const p of c.published) parts.push(`${p.hostIp ? `${p.hostIp}:` : ''}${p.published}→${p.container}/${p.protocol}`);
  return parts.length ? parts.join(', ') : 'none';
}

export function health(c: Config): string {
  const h = c.healthCheck;
  const every = `every ${h.intervalMs >= 1000 ? `${h.intervalMs / 1000} s` : `${h.intervalMs} ms`}`;
  switch (h.kind) {
    case 'http':
      return `GET ${h.path}${h.port ? ` :${h.port}` : ''} ${every}`;
    case 'tcp':
      return `TCP${h.port ? ` :${h.port}` : ''} ${every}`;
    case 'command':
      return `${h.command.join(' ')} ${every}`;
    default:
      return 'none';
  }
}

export function limits(c: Config): string {
  const parts = [];
  if (c.limits.memoryMb !== undefined) parts.push(`${c.limits.memoryMb} MB`);
  if (c.limits.cpus !== undefined) parts.push(`${c.limits.cpus} CPU`);
  return parts.length ? parts.join(', ') : 'none';
}

export interface Capability {
  capable: boolean;
  reason: string;
}

/**
 * Whether a deployment can be rolled back to. The engine's own answer wins when its records carry one (it can
 * see whether the image still exists); otherwise it is derived from what the history says.
 */
export function rollbackCapability(d: Deployment): Capability {
  const extra = d as Deployment & { rollbackCapable?: boolean; rollbackReason?: string | null };
  if (typeof extra.rollbackCapable === 'boolean') {
    return { capable: extra.rollbackCapable, reason: extra.rollbackReason ?? (extra.rollbackCapable ? 'Can be rolled back to.' : 'Cannot be rolled back to.') };
  }
  if (d.status === 'queued' || d.status === 'building' || d.status === 'starting' || d.status === 'health-checking') {
    return { capable: false, reason: 'Still running: not a release yet.' };
  }
  if (!d.image) return { capable: false, reason: 'No image: it stopped before the build finished.' };
  if (!d.timestamps.live) {
    return { capable: false, reason: d.status === 'rolled-back' ? 'Never served traffic: it failed its health check.' : 'Never went live.' };
  }
  return { capable: true, reason: `Image ${shortImage(d.image.id)} with its config snapshot.` };
}

export function isPinned(d: Deployment): boolean {
  return (d as Deployment & { pinned?: boolean }).pinned === true;
}
