import type { PortMapping, VolumeMount } from '../../../shared/api/apps';
import type { RuntimeSnapshot } from '../../../shared/api/deployments';
import type { EnvChange, FieldChange, FieldValue, PlanField } from '../../../shared/api/rollback';
import { describeHealth } from '../../../shared/format';

/** An env variable with its value opened (secrets included): only ever compared here, never returned. */
export interface OpenEnvVar {
  key: string;
  secret: boolean;
  value: string;
}

export type PlanConfig = Omit<RuntimeSnapshot, 'env'>;

/**
 * The env difference between what runs and what will run. Secret values are compared opened but leave as null:
 * the plan says a secret was added, removed or changed, never what it is.
 */
export function diffEnv(before: readonly OpenEnvVar[], after: readonly OpenEnvVar[]): EnvChange[] {
  const old = new Map(before.map((v) => [v.key, v]));
  const out: EnvChange[] = [];
  const shown = (v: OpenEnvVar): string | null => (v.secret ? null : v.value);
  for (const v of after) {
    const was = old.get(v.key);
    old.delete(v.key);
    if (!was) out.push({ key: v.key, change: 'added', secret: v.secret, from: null, to: shown(v) });
    else if (was.value !== v.value || was.secret !== v.secret) {
      const secret = v.secret || was.secret;
      out.push({ key: v.key, change: 'changed', secret, from: secret ? null : was.value, to: secret ? null : v.value });
    }
  }
  for (const was of old.values()) out.push({ key: was.key, change: 'removed', secret: was.secret, from: shown(was), to: null });
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

const FIELDS: ReadonlyArray<[PlanField, string, (c: PlanConfig) => string]> = [
  ['httpPort', 'HTTP port', (c) => (c.httpPort === null ? 'off the proxy' : `${c.httpPort} via the proxy`)],
  ['published', 'Published ports', (c) => list(c.published.map(published))],
  ['volumes', 'Volumes', (c) => list(c.volumes.map(volume))],
  ['limits', 'Limits', (c) => list([c.limits.cpus !== undefined ? `${c.limits.cpus} CPU` : '', c.limits.memoryMb !== undefined ? `${c.limits.memoryMb} MB` : ''].filter(Boolean))],
  ['restart', 'Restart', (c) => c.restart],
  ['replicas', 'Replicas', (c) => String(c.replicas)],
  ['command', 'Command', (c) => (c.command ? c.command.join(' ') : 'image default')],
  ['healthCheck', 'Health check', (c) => describeHealth(c.healthCheck)],
  ['domains', 'Domains', (c) => list([...c.domains].sort())],
  ['labels', 'Labels', (c) => list(Object.entries(c.labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`))],
];

/** Every runtime setting that differs, rendered for people. Nothing live: every setting is listed as new. */
export function diffFields(before: PlanConfig | null, after: PlanConfig): FieldChange[] {
  const out: FieldChange[] = [];
  for (const [field, label, render] of FIELDS) {
    const to = render(after);
    const from = before ? render(before) : '—';
    if (from !== to) out.push({ field, label, from, to });
  }
  return out;
}

/** The settings that stay as they are, so a plan says what stays as well as what moves. Nothing live: none. */
export function unchangedFields(before: PlanConfig | null, after: PlanConfig): FieldValue[] {
  if (!before) return [];
  return FIELDS.filter(([, , render]) => render(before) === render(after)).map(([field, label, render]) => ({ field, label, value: render(after) }));
}

/** Secrets set to the same value on both sides: counted, since their values never leave the engine. */
export function secretsKept(before: readonly OpenEnvVar[], after: readonly OpenEnvVar[]): number {
  const old = new Map(before.map((v) => [v.key, v]));
  return after.filter((v) => v.secret && old.get(v.key)?.secret === true && old.get(v.key)?.value === v.value).length;
}

/** What no rollback undoes, worded for this app. */
export function notUndone(config: PlanConfig, targetSeq: number): string[] {
  const volumes = [...new Set(config.volumes.map((v) => v.source))];
  return [
    `Database migrations run since #${targetSeq} stay applied: #${targetSeq}'s code must work with today's schema.`,
    volumes.length > 0
      ? `Data in volumes stays as it is now (${volumes.join(', ')}): files written since #${targetSeq} are not reverted.`
      : 'Data the app wrote outside its image (databases, uploads, volumes) stays as it is now.',
    'Changes made in external services (queues, caches, third-party APIs, DNS, scheduled jobs) are not reverted.',
  ];
}

function published(p: PortMapping): string {
  return `${p.hostIp ? `${p.hostIp}:` : ''}${p.published}→${p.container}/${p.protocol}`;
}

function volume(v: VolumeMount): string {
  return `${v.source}:${v.target}${v.readOnly ? ':ro' : ''}`;
}

function list(items: string[]): string {
  return items.length > 0 ? items.join(', ') : 'none';
}
