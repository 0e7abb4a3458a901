import { useState } from 'react';
import type { App, AppPatch, HealthCheck } from '../../../../shared/api/apps';
import type { BuildMode } from '../../../../shared/api/build-modes';
import { DEFAULT_PREVIEW_LIMIT } from '../../../../shared/defaults';
import type { ErrorEnvelope } from '../../../../shared/errors';
import { ErrorText } from '../../components/ErrorText';
import { toError } from '../../lib/errors';
import { useApps, useToasts } from '../../stores';
import { BuildCacheCard } from '../builds/BuildCacheCard';
import { BuildPlanCard } from '../builds/BuildPlanCard';
import { EnvEditor } from './EnvEditor';
import { AutoDeployCard } from '../auto-deploy/AutoDeployCard';
import { RollbackSettingsCard } from './RollbackSettingsCard';
import { draftOfSource, SourceFields, sourceOfDraft, type SourceDraft } from './SourceFields';

interface Draft {
  httpPort: string;
  published: string;
  health: HealthCheck['kind'];
  healthPath: string;
  healthPort: string;
  intervalMs: string;
  timeoutMs: string;
  retries: string;
  memoryMb: string;
  cpus: string;
  replicas: string;
  domains: string;
  keepLast: string;
  keepDays: string;
  /** Null while it is the app's own: the plan card may change the app's mode (keeping a plan) under an open form. */
  buildMode: BuildMode | null;
  dockerfile: string;
  context: string;
  buildArgs: string;
  previewLimit: string;
  source: SourceDraft;
}

function draftOf(app: App): Draft {
  const r = app.runtime;
  const h = r.healthCheck;
  return {
    httpPort: r.httpPort === null ? '' : String(r.httpPort),
    published: r.published.map((p) => `${p.hostIp ? `${p.hostIp}:` : ''}${p.published}:${p.container}/${p.protocol}`).join('\n'),
    health: h.kind,
    healthPath: h.kind === 'http' ? h.path : '/',
    healthPort: (h.kind === 'http' || h.kind === 'tcp') && h.port ? String(h.port) : '',
    intervalMs: String(h.intervalMs),
    timeoutMs: String(h.timeoutMs),
    retries: String(h.retries),
    memoryMb: r.limits.memoryMb === undefined ? '' : String(r.limits.memoryMb),
    cpus: r.limits.cpus === undefined ? '' : String(r.limits.cpus),
    replicas: String(r.replicas),
    domains: r.domains.join('\n'),
    keepLast: app.retention.keepLast === undefined ? '' : String(app.retention.keepLast),
    keepDays: app.retention.keepDays === undefined ? '' : String(app.retention.keepDays),
    buildMode: null,
    dockerfile: app.build.dockerfile,
    context: app.build.context,
    source: draftOfSource(app.source),
    previewLimit: app.previews === undefined ? '' : String(app.previews.limit),
    buildArgs: Object.entries(app.build.args)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  };
}

const num = (v: string): number | undefined => (v.trim() === '' ? undefined : Number(v));

function parsePublished(text: string) {
  return text
    .split(/[\n,]/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const m = /^(?:([\d.]+):)?(\d+):(\d+)(?:\/(tcp|udp))?$/.exec(l);
      if (!m) throw Object.assign(new Error(`“${l}” is not HOST:CONTAINER[/tcp|udp], e.g. 8443:443/tcp.`), { code: 'INVALID_INPUT' });
      return { hostIp: m[1] ?? '', published: Number(m[2]), container: Number(m[3]), protocol: (m[4] ?? 'tcp') as 'tcp' | 'udp' };
    });
}

function parseArgs(text: string): Record<string, string> {
  const args: Record<string, string> = {};
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const at = line.indexOf('=');
    if (at <= 0) throw Object.assign(new Error(`“${line}” is not NAME=value.`), { code: 'INVALID_INPUT' });
    args[line.slice(0, at).trim()] = line.slice(at + 1);
  }
  return args;
}

function patchOf(d: Draft): AppPatch {
  const timing = { intervalMs: Number(d.intervalMs), timeoutMs: Number(d.timeoutMs), retries: Number(d.retries) };
  const healthCheck: HealthCheck =
    d.health === 'http'
      ? { kind: 'http', path: d.healthPath || '/', port: num(d.healthPort), startPeriodMs: 0, ...timing }
      : d.health === 'tcp'
        ? { kind: 'tcp', port: num(d.healthPort), startPeriodMs: 0, ...timing }
        : { kind: 'none', startPeriodMs: 0, ...timing };
  return {
    source: sourceOfDraft(d.source),
    build: { ...(d.buildMode ? { mode: d.buildMode } : {}), dockerfile: d.dockerfile, context: d.context, args: parseArgs(d.buildArgs) },
    runtime: {
      httpPort: d.httpPort.trim() === '' ? null : Number(d.httpPort),
      published: parsePublished(d.published),
      healthCheck,
      limits: { memoryMb: num(d.memoryMb), cpus: num(d.cpus) },
      replicas: Number(d.replicas),
      domains: d.domains.split(/[\s,]+/).filter(Boolean),
    },
    retention: { keepLast: num(d.keepLast), keepDays: num(d.keepDays) },
    ...(d.previewLimit.trim() !== '' ? { previews: { limit: Number(d.previewLimit) } } : {}),
  };
}

/** Issues of INVALID_INPUT point at fields: show each beside its own. */
function fieldErrors(error: ErrorEnvelope | undefined): Record<string, string> {
  const issues = (error?.details?.issues ?? []) as { path: string[]; message: string }[];
  return Object.fromEntries(issues.map((i) => [i.path.at(-1) ?? '', i.message]));
}

export function SettingsTab({ app }: { app: App }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(app));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ErrorEnvelope>();
  const dirty = JSON.stringify(draft) !== JSON.stringify(draftOf(app));
  const errs = fieldErrors(error);
  const buildMode = draft.buildMode ?? app.build.mode ?? 'dockerfile';
  const setBuildMode = (e: React.ChangeEvent<HTMLSelectElement>) => {
    const mode = e.target.value as BuildMode;
    setDraft((d) => ({ ...d, buildMode: mode === (app.build.mode ?? 'dockerfile') ? null : mode }));
  };
  type TextKey = Exclude<keyof Draft, 'source' | 'health' | 'buildMode'>;
  const set = (key: Exclude<keyof Draft, 'source' | 'buildMode'>) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => setDraft((d) => ({ ...d, [key]: e.target.value }));
  const field = (key: TextKey, label: string, props: React.InputHTMLAttributes<HTMLInputElement> = {}, hint?: string, errKey: string = key) => (
    <label className="field">
      <span>{label}</span>
      <input className="input" name={key} value={draft[key]} onChange={set(key)} aria-invalid={errs[errKey] ? true : undefined} {...props} />
      {errs[errKey] ? <span className="hint tone-red">{errs[errKey]}</span> : hint && <span className="hint">{hint}</span>}
    </label>
  );

  const save = async () => {
    setSaving(true);
    setError(undefined);
    try {
      await useApps.getState().update(app.serverId, app.name, patchOf(draft));
      useToasts.getState().push({ title: 'Settings saved', body: 'They apply from the next deployment.', level: 'success' });
    } catch (e) {
      setError(toError(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="settings">
      <div className="settings-bar">
        <span className="muted">Changes apply from the next deployment; releases keep the config they ran with.</span>
        <span className="spacer" />
        <button type="button" className="btn" disabled={!dirty || saving} onClick={() => setDraft(draftOf(app))}>
          Discard
        </button>
        <button type="button" className="btn primary" disabled={!dirty || saving} onClick={() => void save()}>
          {saving ? 'Saving…' : 'Save settings'}
        </button>
      </div>
      {error && <ErrorText error={error} boxed />}
      {app.previewOf && (
        <div className="warn-box" data-testid="preview-settings-note">
          This preview takes its settings from {app.previewOf.app} again on each deploy: change them there.
        </div>
      )}

      <section className="card settings-section">
        <h2>Source and build</h2>
        <SourceFields value={draft.source} onChange={(source) => setDraft((d) => ({ ...d, source }))} />
        <div className="grid3">
          <label className="field">
            <span>Build mode</span>
            <select className="select" name="buildMode" value={buildMode} onChange={setBuildMode}>
              <option value="dockerfile">Dockerfile</option>
              <option value="static">Static site (files served by busybox httpd)</option>
              <option value="auto">Zero-config (detect the stack, write a Dockerfile)</option>
            </select>
          </label>
          {buildMode === 'dockerfile' && !app.build.dockerfileText ? field('dockerfile', 'Dockerfile') : <span />}
          {field('context', 'Build context')}
        </div>
        <label className="field">
          <span>Build arguments</span>
          <textarea className="textarea" name="buildArgs" rows={2} value={draft.buildArgs} onChange={set('buildArgs')} placeholder="VERSION=1.4.2" spellCheck={false} />
        </label>
      </section>

      {app.source.kind !== 'image' && (
        <>
          <BuildPlanCard app={app} />
          <BuildCacheCard serverId={app.serverId} app={app.name} />
        </>
      )}

      <section className="card settings-section">
        <h2>Environment</h2>
        <EnvEditor app={app} />
      </section>

      <section className="card settings-section">
        <h2>Ports and domains</h2>
        <div className="grid2">
          {field('httpPort', 'HTTP port in the container', { inputMode: 'numeric', placeholder: 'none' }, 'The edge proxy routes traffic here; empty keeps the app off the proxy.')}
          <label className="field">
            <span>Published on the server</span>
            <textarea className="textarea" rows={2} value={draft.published} onChange={set('published')} placeholder="8443:443/tcp" />
            <span className="hint">One per line. A published port stops the old release before the new one starts.</span>
          </label>
        </div>
        <label className="field">
          <span>Domains</span>
          <textarea className="textarea" rows={2} value={draft.domains} onChange={set('domains')} placeholder="shop.example.com" aria-invalid={errs.domains ? true : undefined} />
          {errs.domains && <span className="hint tone-red">{errs.domains}</span>}
        </label>
      </section>

      <section className="card settings-section">
        <h2>Health check</h2>
        <div className="grid3">
          <label className="field">
            <span>Kind</span>
            <select className="select" value={draft.health} onChange={set('health')}>
              <option value="http">HTTP GET</option>
              <option value="tcp">TCP connect</option>
              <option value="none" disabled={app.runtime.healthCheck.kind === 'command'}>
                None (switch when started)
              </option>
              {app.runtime.healthCheck.kind === 'command' && <option value="command">Command</option>}
            </select>
          </label>
          {draft.health === 'http' ? field('healthPath', 'Path', { className: 'input mono' }, undefined, 'path') : <span />}
          {draft.health !== 'none' ? field('healthPort', 'Port', { inputMode: 'numeric', placeholder: draft.httpPort || 'HTTP port' }, undefined, 'port') : <span />}
        </div>
        <div className="grid3">
          {field('intervalMs', 'Every (ms)', { inputMode: 'numeric' })}
          {field('timeoutMs', 'Timeout (ms)', { inputMode: 'numeric' })}
          {field('retries', 'Failures before giving up', { inputMode: 'numeric' })}
        </div>
      </section>

      <section className="card settings-section">
        <h2>Limits and replicas</h2>
        <div className="grid3">
          {field('memoryMb', 'Memory (MB)', { inputMode: 'numeric', placeholder: 'no limit' })}
          {field('cpus', 'CPUs', { inputMode: 'decimal', placeholder: 'no limit' })}
          {field('replicas', 'Replicas', { inputMode: 'numeric' })}
        </div>
      </section>

      <RollbackSettingsCard serverId={app.serverId} app={app.name} />

      <AutoDeployCard app={app} />

      <section className="card settings-section">
        <h2>Retention</h2>
        <div className="grid2">
          {field('keepLast', 'Keep the last N deployments', { inputMode: 'numeric', placeholder: 'all' })}
          {field('keepDays', 'Keep deployments newer than (days)', { inputMode: 'numeric', placeholder: 'forever' })}
        </div>
        <span className="hint muted small">The live and pinned deployments are always kept.</span>
      </section>

      {app.source.kind === 'git' && !app.previewOf && (
        <section className="card settings-section">
          <h2>Previews</h2>
          <div className="grid2">
            {field('previewLimit', 'Previews at once', { inputMode: 'numeric', placeholder: String(DEFAULT_PREVIEW_LIMIT) }, 'Branches deployed beside the app at <branch>.<app domain>; 0 allows none.', 'limit')}
          </div>
        </section>
      )}
    </div>
  );
}
