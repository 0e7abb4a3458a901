import { useEffect, useState } from 'react';
import type { App } from '../../../../shared/api/apps';
import type { AutoDeploySettings, AutoDeployStatus } from '../../../../shared/api/auto-deploy';
import type { ErrorEnvelope } from '../../../../shared/errors';
import { ErrorText } from '../../components/ErrorText';
import { toError } from '../../lib/errors';
import { timeAgo } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { useAutoDeploy, useToasts } from '../../stores';
import { autoDeployKey } from '../../stores/auto-deploy';

type Mode = 'off' | 'branch' | 'tag';

interface Draft {
  mode: Mode;
  branch: string;
  pattern: string;
  intervalSec: string;
  from: AutoDeploySettings['from'];
}

function draftOf(status: AutoDeployStatus, app: App): Draft {
  const s = status.settings;
  const ref = app.source.kind === 'git' ? app.source.ref : 'main';
  return {
    mode: s ? s.watch.kind : 'off',
    branch: s?.watch.kind === 'branch' ? s.watch.branch : ref,
    pattern: s?.watch.kind === 'tag' ? s.watch.pattern : 'v*',
    intervalSec: String(s?.intervalSec ?? 60),
    from: s?.from ?? 'server',
  };
}

function settingsOf(d: Draft): AutoDeploySettings | null {
  if (d.mode === 'off') return null;
  const watch = d.mode === 'branch' ? { kind: 'branch' as const, branch: d.branch.trim() } : { kind: 'tag' as const, pattern: d.pattern.trim() };
  return { watch, intervalSec: Number(d.intervalSec), from: d.from };
}

/** What auto-deploy watches, how often and from where; the last check and a pause button. */
export function AutoDeployCard({ app }: { app: App }) {
  const status = useAutoDeploy((s) => s.byApp[autoDeployKey(app.serverId, app.name)]);
  const [loadError, setLoadError] = useState<ErrorEnvelope>();

  useEffect(() => {
    useAutoDeploy
      .getState()
      .load(app.serverId, app.name)
      .catch((e) => setLoadError(toError(e)));
  }, [app.serverId, app.name]);

  return (
    <section className="card settings-section" aria-label="Auto-deploy" data-testid="auto-deploy">
      <h2>Auto-deploy</h2>
      {app.source.kind !== 'git' ? (
        <span className="muted">Auto-deploy watches a git repository: give the app a git source to use it.</span>
      ) : (
        <>
          {loadError && !status && <ErrorText error={loadError} />}
          {!status && !loadError && <span className="muted">Reading…</span>}
          {status && <Form key={JSON.stringify(status.settings)} app={app} status={status} />}
        </>
      )}
    </section>
  );
}

function Form({ app, status }: { app: App; status: AutoDeployStatus }) {
  const [draft, setDraft] = useState(() => draftOf(status, app));
  const dirty = JSON.stringify(draft) !== JSON.stringify(draftOf(status, app));
  const { serverId, name } = app;
  const save = useAction(async () => {
    await useAutoDeploy.getState().set(serverId, name, settingsOf(draft));
    useToasts.getState().push({ title: draft.mode === 'off' ? 'Auto-deploy turned off' : 'Auto-deploy saved', level: 'success' });
  });
  const toggle = useAction(() => (status.paused ? useAutoDeploy.getState().resume(serverId, name) : useAutoDeploy.getState().pause(serverId, name)));
  const check = useAction(() => useAutoDeploy.getState().check(serverId, name));
  const text = (key: 'branch' | 'pattern' | 'intervalSec') => ({
    value: draft[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setDraft((d) => ({ ...d, [key]: e.target.value })),
  });

  return (
    <>
      <div className="grid3">
        <label className="field">
          <span>Deploy by itself</span>
          <select className="input" value={draft.mode} onChange={(e) => setDraft((d) => ({ ...d, mode: e.target.value as Mode }))}>
            <option value="off">Off</option>
            <option value="branch">Each new commit on a branch</option>
            <option value="tag">Each new tag matching a pattern</option>
          </select>
        </label>
        {draft.mode === 'tag' ? (
          <label className="field">
            <span>Tag pattern</span>
            <input className="input mono" spellCheck={false} placeholder="v*" {...text('pattern')} />
            <span className="hint">* and ? as wildcards; tags already there are not deployed.</span>
          </label>
        ) : (
          <label className="field">
            <span>Branch</span>
            <input className="input mono" spellCheck={false} disabled={draft.mode === 'off'} {...text('branch')} />
          </label>
        )}
        <label className="field">
          <span>Check every (s)</span>
          <input className="input" inputMode="numeric" disabled={draft.mode === 'off'} {...text('intervalSec')} />
        </label>
      </div>
      <label className="check">
        <input type="checkbox" disabled={draft.mode === 'off'} checked={draft.from === 'computer'} onChange={(e) => setDraft((d) => ({ ...d, from: e.target.checked ? 'computer' : 'server' }))} /> Ask the
        remote from this computer instead of the server (git ls-remote; no webhook, nothing inbound)
      </label>
      {status.settings && <StatusLine status={status} />}
      {save.error && <ErrorText error={save.error} />}
      {toggle.error && <ErrorText error={toggle.error} />}
      {check.error && <ErrorText error={check.error} />}
      <div className="row">
        {status.settings && (
          <>
            <button type="button" className="btn" disabled={toggle.busy || dirty} onClick={() => void toggle.run()}>
              {status.paused ? 'Resume' : 'Pause'}
            </button>
            <button type="button" className="btn" disabled={check.busy || status.paused || dirty} onClick={() => void check.run()}>
              {check.busy ? 'Checking…' : 'Check now'}
            </button>
          </>
        )}
        <span className="spacer" />
        <button type="button" className="btn" disabled={!dirty || save.busy} onClick={() => setDraft(draftOf(status, app))}>
          Discard
        </button>
        <button type="button" className="btn primary" disabled={!dirty || save.busy} onClick={() => void save.run()}>
          {save.busy ? 'Saving…' : 'Save auto-deploy'}
        </button>
      </div>
    </>
  );
}

function StatusLine({ status }: { status: AutoDeployStatus }) {
  const parts = [
    status.lastCheckAt ? `checked ${timeAgo(status.lastCheckAt)}` : 'not checked yet',
    status.lastSeen ? `${status.lastSeen.ref} at ${status.lastSeen.hash.slice(0, 7)}` : null,
    status.lastDeployment ? `last deployed #${status.lastDeployment.seq}` : null,
  ].filter(Boolean);
  return (
    <div className="auto-deploy-status" data-testid="auto-deploy-status">
      <span className={`badge ${status.paused ? 'tone-amber' : 'tone-green'}`}>{status.paused ? 'paused' : 'watching'}</span>
      <span className="muted small">{parts.join(' · ')}</span>
      {status.lastError && <ErrorText error={status.lastError} />}
    </div>
  );
}
