import { useEffect, useState, type FormEvent } from 'react';
import type { App } from '../../../../shared/api/apps';
import { DEFAULT_PREVIEW_LIMIT } from '../../../../shared/defaults';
import { EmptyState } from '../../components/EmptyState';
import { ErrorText } from '../../components/ErrorText';
import { StatusBadge } from '../../components/Status';
import { timeAgo } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { previewsOf } from '../../stores/previews';
import { usePreviews, useUi } from '../../stores';
import { RemovePreviewDialog } from './RemovePreviewDialog';

/** A git app's previews: deploy a branch beside the app, see what each runs, open or remove one. */
export function PreviewsTab({ app }: { app: App }) {
  const { serverId, name } = app;
  const slot = usePreviews((s) => previewsOf(s, serverId, name));
  const [ref, setRef] = useState('');
  const [removing, setRemoving] = useState<string>();
  const limit = app.previews?.limit ?? DEFAULT_PREVIEW_LIMIT;
  const { busy, error, run } = useAction(async () => {
    const d = await usePreviews.getState().deploy(serverId, name, ref.trim());
    setRef('');
    useUi.getState().selectApp(d.app, 'logs');
    useUi.getState().viewLogs({ kind: 'deployment', deploymentId: d.id });
  });

  useEffect(() => {
    void usePreviews.getState().load(serverId, name);
  }, [serverId, name]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ref.trim()) void run();
  };
  const domain = app.runtime.domains[0]?.replace(/^\*\./, '');

  return (
    <div className="previews" data-testid="previews">
      <form className="card preview-form" onSubmit={submit} aria-label="Preview a branch">
        <div className="preview-form-row">
          <label className="field grow">
            <span>Branch or pull-request ref</span>
            <input className="input mono" value={ref} onChange={(e) => setRef(e.target.value)} placeholder="feature/login or refs/pull/12/head" spellCheck={false} />
          </label>
          <button type="submit" className="btn primary" disabled={busy || !ref.trim()}>
            {busy ? 'Starting…' : 'Deploy preview'}
          </button>
        </div>
        <span className="hint muted small">
          {domain ? `Served at <branch>.${domain}` : 'Give the app a domain first: a preview is served at <branch>.<app domain>'} · {slot.list.length} of {limit} at
          once (the limit is in Settings) · removed once its branch is gone from the remote
        </span>
      </form>
      {error && <ErrorText error={error} boxed />}
      {slot.error && <ErrorText error={slot.error} boxed />}
      {slot.loaded && slot.list.length === 0 && (
        <div className="card">
          <EmptyState title="No previews yet">
            Deploy a branch or a pull request beside {name}: it gets its own history, containers and host name, and is removed
            once its branch is gone from the remote.
          </EmptyState>
        </div>
      )}
      {slot.list.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Branch</th>
              <th>Host</th>
              <th>Latest</th>
              <th>Status</th>
              <th>Made</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {slot.list.map((p) => (
              <tr key={p.name} data-preview-row={p.ref}>
                <td>
                  <button type="button" className="link-button mono" onClick={() => useUi.getState().selectApp(p.name)}>
                    {p.ref}
                  </button>
                </td>
                <td className="mono muted">{p.domains.join(', ')}</td>
                <td className="title-cell">{p.latest ? `#${p.latest.seq} ${p.latest.title}` : <span className="muted">not deployed</span>}</td>
                <td>{p.latest ? <StatusBadge status={p.latest.status} /> : <span className="muted">—</span>}</td>
                <td>{timeAgo(p.createdAt)}</td>
                <td className="actions">
                  <button type="button" className="btn small" onClick={() => setRemoving(p.ref)}>
                    Remove…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {removing && <RemovePreviewDialog serverId={serverId} app={name} refName={removing} onClose={() => setRemoving(undefined)} />}
    </div>
  );
}
