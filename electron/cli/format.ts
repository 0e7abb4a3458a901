import type { App, EnvVarView } from '../../shared/api/apps';
import type { Deployment, DeploymentStatus } from '../../shared/api/deployments';
import type { RollbackSettings } from '../../shared/api/rollback';
import type { Server, ServerAuth } from '../../shared/api/servers';
import { DEFAULT_PREVIEW_LIMIT } from '../../shared/defaults';
import { describeHealth, describeSource, duration, shortDuration, shortImage } from '../../shared/format';

/** What the terminal shows for values it must never print. */
export const MASK = '••••••';

/** `just now`, `42s ago`, `5m ago`, `3h ago`, `2d ago`. */
export function age(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return '—';
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  if (Number.isNaN(seconds)) return '—';
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}

/** Wall time of a deployment's own run: from queued to the first final state. */
export function runTime(d: Pick<Deployment, 'timestamps' | 'finishedAt'>): number | null {
  const start = d.timestamps.queued;
  if (!start || !d.finishedAt) return null;
  return Date.parse(d.finishedAt) - Date.parse(start);
}

export type Tone = 'green' | 'red' | 'yellow' | 'blue' | 'grey';

export function statusTone(status: DeploymentStatus): Tone {
  switch (status) {
    case 'live':
      return 'green';
    case 'failed':
    case 'interrupted':
      return 'red';
    case 'cancelled':
    case 'rolled-back':
      return 'yellow';
    case 'superseded':
      return 'grey';
    default:
      return 'blue';
  }
}

export const HISTORY_HEADERS = ['SEQ', 'KIND', 'STATUS', 'TITLE', 'IMAGE', 'WHEN', 'TOOK', 'ROLLBACK', 'NOTE'];

/**
 * One history row per deployment, newest first as the engine lists them: a rollback names the release it ran, a
 * failure its code, and ROLLBACK says whether the release can run again (as the engine checked it when listing).
 */
export function historyRows(deployments: readonly Deployment[], now: Date = new Date()): string[][] {
  const seqs = new Map(deployments.map((d) => [d.id, d.seq]));
  return deployments.map((d) => {
    const target = d.kind !== 'deploy' && d.target ? `runs #${seqs.get(d.target) ?? d.target}` : '';
    const note = [d.reconciling ? 'its Berth is gone; being checked against the server' : '', d.trigger === 'auto' ? 'auto-deploy' : '', pushNote(d), d.pinned ? 'pinned' : '', d.releaseNote ? `“${d.releaseNote.text}”` : '', d.error ? `${d.error.code}: ${d.error.message}` : (d.note ?? target)].filter(Boolean).join('; ');
    const rollback = d.status === 'live' || d.rollbackCapable === undefined ? '' : d.rollbackCapable ? 'yes' : 'no';
    const status = d.reconciling ? `${d.status} (checking)` : d.status;
    return [`#${d.seq}`, d.kind, status, truncate(d.title || '—', 40), shortImage(d.image?.id), age(d.timestamps.queued, now), duration(runTime(d)), rollback, truncate(note, 60)];
  });
}

/** How the release's push to its registry went, when it did not simply work. */
export function pushNote(d: Pick<Deployment, 'push'>): string {
  if (d.push?.state === 'failed') return `push failed: ${d.push.error ? `${d.push.error.code}: ${d.push.error.message}` : 'no reason recorded'}`;
  if (d.push?.state === 'pushing') return `pushing to ${d.push.registry}${d.push.attempts > 0 ? ` (attempt ${d.push.attempts + 1})` : ''}`;
  return '';
}

export function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

export function describeAuth(auth: ServerAuth): string {
  switch (auth.kind) {
    case 'agent':
      return 'ssh-agent';
    case 'key':
      return `key ${auth.keyPath}`;
    case 'sshConfig':
      return `ssh config ${auth.alias}`;
    case 'local':
      return 'local socket';
  }
}

export function address(server: Server): string {
  return server.auth.kind === 'local' ? 'this computer' : `${server.user}@${server.host}:${server.port}`;
}

/** Env as the terminal shows it: secret values are never sent out by the engine, and shown masked. */
export function envRows(env: readonly EnvVarView[]): string[][] {
  return env.map((v) => [v.key, v.secret ? MASK : (v.value ?? ''), v.secret ? 'secret' : '']);
}

/** `KEY=value` lines (secrets masked) for `berth app env` without a terminal table. */
export function envLines(env: readonly EnvVarView[]): string[] {
  return env.map((v) => `${v.key}=${v.secret ? MASK : (v.value ?? '')}`);
}

/** The key facts of an app, as label/value rows. */
function buildModeText(app: App): string {
  const mode = app.build.mode ?? 'dockerfile';
  if (mode === 'static') return 'static site';
  if (mode === 'auto') return 'zero-config (berth plan shows it)';
  return app.build.dockerfileText ? 'the Dockerfile kept in the app' : app.build.dockerfile;
}

export function appRows(app: App): string[][] {
  const r = app.runtime;
  const limits = [r.limits.cpus !== undefined ? `${r.limits.cpus} CPU` : '', r.limits.memoryMb !== undefined ? `${r.limits.memoryMb} MB` : ''].filter(Boolean).join(', ');
  const retention = [app.retention.keepLast ? `last ${app.retention.keepLast}` : '', app.retention.keepDays ? `${app.retention.keepDays} days` : ''].filter(Boolean).join(', ');
  return [
    ['Server', app.serverId],
    ['Source', describeSource(app.source)],
    ['Build', `${buildModeText(app)} in ${app.build.context}${Object.keys(app.build.args).length ? `, args ${Object.keys(app.build.args).join(', ')}` : ''}${app.build.clean ? ', no cache' : ''}`],
    ['HTTP port', r.httpPort === null ? 'not behind the proxy' : String(r.httpPort)],
    ['Domains', r.domains.length ? r.domains.join(', ') : 'none'],
    ['Published', r.published.length ? r.published.map((p) => `${p.hostIp ? `${p.hostIp}:` : ''}${p.published}→${p.container}/${p.protocol}`).join(', ') : 'none'],
    ['Volumes', r.volumes.length ? r.volumes.map((v) => `${v.source}:${v.target}${v.readOnly ? ':ro' : ''}`).join(', ') : 'none'],
    ['Health check', describeHealth(r.healthCheck)],
    ['Replicas', String(r.replicas)],
    ['Limits', limits || 'none'],
    ['Restart', r.restart],
    ['Command', r.command ? r.command.join(' ') : 'image default'],
    ['Env', r.env.length ? `${r.env.length} variable${r.env.length > 1 ? 's' : ''} (berth app env ${app.name})` : 'none'],
    ['Keep', retention || 'every release'],
    ...(app.previewOf ? [['Preview of', `${app.previewOf.app}, branch ${app.previewOf.ref}`]] : []),
    ...(!app.previewOf && app.source.kind === 'git' ? [['Previews', `up to ${app.previews?.limit ?? DEFAULT_PREVIEW_LIMIT} at once (berth preview list ${app.name})`]] : []),
  ];
}

/** An app's rollback settings as label/value rows. */
export function rollbackRows(settings: RollbackSettings): string[][] {
  const watch = settings.watchMs > 0 && settings.autoRollback ? `${shortDuration(settings.watchMs)} after going live; ${settings.watchFailures} failed probes roll back` : 'off';
  return [
    ['Auto rollback', settings.autoRollback ? 'on' : 'off'],
    ['Watch window', watch],
    ['Rollback points', `${settings.keepLast} release${settings.keepLast === 1 ? '' : 's'} besides the live one keep their image`],
    ['Registry', settings.registry ? `${settings.registry.url}${settings.registry.username ? ` (as ${settings.registry.username})` : ''}` : 'none'],
  ];
}
