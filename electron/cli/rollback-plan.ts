import type { App } from '../../shared/api/apps';
import type { Deployment, RuntimeSnapshot } from '../../shared/api/deployments';
import { describeHealth, MASK, shortImage } from './format';
import type { RollbackMode } from './rollback-api';

type Config = Pick<RuntimeSnapshot, 'httpPort' | 'replicas' | 'domains' | 'healthCheck' | 'command'> & {
  env: ReadonlyArray<{ key: string; value: string | null; secret: boolean }>;
};

/** One line of what a rollback changes: label, now, after. */
export type PlanRow = [label: string, from: string, to: string];

/**
 * What a rollback changes, from the records alone: the live release against the one that would run (the target's
 * own snapshot, or with --redeploy its image under the app's config of today). Secret values are never known here,
 * so a secret shows only as added, removed or kept.
 */
export function localPlan(target: Deployment, live: Deployment | undefined, app: App, mode: RollbackMode): PlanRow[] {
  const next: Config = mode === 'redeploy' ? app.runtime : target.config;
  const now: Config | undefined = live?.config;
  const rows: PlanRow[] = [['Image', live ? `#${live.seq} ${shortImage(live.image?.id)}` : 'nothing live', `#${target.seq} ${shortImage(target.image?.id)}`]];
  const show = (label: string, read: (c: Config) => string): void => {
    const to = read(next);
    const from = now ? read(now) : '—';
    if (from !== to) rows.push([label, from, to]);
  };
  show('HTTP port', (c) => (c.httpPort === null ? 'off the proxy' : String(c.httpPort)));
  show('Replicas', (c) => String(c.replicas));
  show('Domains', (c) => c.domains.join(', ') || 'none');
  show('Health check', (c) => describeHealth(c));
  show('Command', (c) => (c.command ? c.command.join(' ') : 'image default'));
  rows.push(...envChanges(now?.env ?? [], next.env));
  return rows;
}

export function envChanges(before: Config['env'], after: Config['env']): PlanRow[] {
  const old = new Map(before.map((v) => [v.key, v]));
  const rows: PlanRow[] = [];
  const shown = (v: Config['env'][number]): string => (v.secret ? MASK : (v.value ?? ''));
  for (const v of after) {
    const was = old.get(v.key);
    old.delete(v.key);
    if (!was) rows.push([`env ${v.key}`, '(unset)', shown(v)]);
    else if (was.secret !== v.secret || (!v.secret && was.value !== v.value)) rows.push([`env ${v.key}`, shown(was), shown(v)]);
  }
  for (const was of old.values()) rows.push([`env ${was.key}`, shown(was), '(unset)']);
  return rows.sort((a, b) => a[0].localeCompare(b[0]));
}
