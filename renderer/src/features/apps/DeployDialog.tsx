import { useState, type FormEvent } from 'react';
import type { ErrorEnvelope } from '../../../../shared/errors';
import { Dialog } from '../../components/Dialog';
import { ErrorText } from '../../components/ErrorText';
import { toError } from '../../lib/errors';
import { appsOf } from '../../stores/apps';
import { useApps, useDeployments, usePreviews, useServers, useUi } from '../../stores';
import { describeSource } from '../../../../shared/format';
import { archiveIn } from '../../lib/archive-send';
import { PlanLine } from '../builds/PlanLine';
import { ArchiveField } from './ArchiveField';
import { draftOfSource, sameSource, SourceFields, sourceOfDraft, type SourceDraft } from './SourceFields';

/** Deploy the app: a title for the history, a one-off git ref, a clean build, or a dropped archive instead of the source. */
export function DeployDialog({ archive: dropped }: { archive?: File | undefined }) {
  const serverId = useUi((s) => s.serverId)!;
  const appName = useUi((s) => s.appId)!;
  const app = useApps((s) => appsOf(s, serverId).list.find((a) => a.name === appName));
  const server = useServers((s) => s.servers.find((x) => x.id === serverId));
  const [title, setTitle] = useState('');
  const [changing, setChanging] = useState(false);
  const [source, setSource] = useState<SourceDraft>(() => draftOfSource(app?.source));
  const [ref, setRef] = useState('');
  const [clean, setClean] = useState(false);
  const [archive, setArchive] = useState<File | undefined>(dropped);
  const [root, setRoot] = useState(() => (app?.source.kind === 'archive' ? app.source.root : ''));
  const [sent, setSent] = useState<number>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorEnvelope>();
  const close = () => useUi.getState().openDialog(undefined);
  if (!app) return null;
  const needsArchive = app.source.kind === 'archive';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const previewOf = app.previewOf;
      if (previewOf) {
        const d = await usePreviews.getState().deploy(serverId, previewOf.app, previewOf.ref, title.trim() || undefined);
        close();
        useUi.getState().viewLogs({ kind: 'deployment', deploymentId: d.id });
        return;
      }
      const next = sourceOfDraft(source);
      if (changing && !sameSource(next, app.source)) await useApps.getState().update(serverId, appName, { source: next });
      const input = {
        serverId,
        app: appName,
        title: title.trim() || undefined,
        ref: !changing && !archive && app.source.kind === 'git' && ref.trim() ? ref.trim() : undefined,
        clean: clean || undefined,
      };
      const d = archive
        ? await useDeployments.getState().deployArchive(input, archive, root.trim().replace(/^\/+|\/+$/g, ''), setSent)
        : await useDeployments.getState().deploy(input);
      close();
      useUi.getState().viewLogs({ kind: 'deployment', deploymentId: d.id });
    } catch (e) {
      setError(toError(e));
      setSent(undefined);
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={`Deploy ${appName} to ${server?.name ?? serverId}`}
      onClose={close}
      footer={
        <>
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="submit" form="deploy-form" className="btn primary" disabled={busy || (needsArchive && !archive)}>
            {busy ? (sent !== undefined && archive && sent < archive.size ? 'Sending…' : 'Starting…') : 'Deploy'}
          </button>
        </>
      }
    >
      <form
        id="deploy-form"
        className="form"
        onSubmit={submit}
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          const found = archiveIn(e.dataTransfer.files);
          if (found) setArchive(found);
        }}
      >
        {archive || needsArchive ? null : app.previewOf ? (
          <div className="info-box">
            <div className="small muted">Preview of {app.previewOf.app}</div>
            <div className="mono">{describeSource(app.source)}</div>
            <div className="small muted">Made again from {app.previewOf.app}’s current settings before it builds.</div>
          </div>
        ) : changing ? (
          <SourceFields value={source} onChange={setSource} />
        ) : (
          <div className="info-box row">
            <div>
              <div className="small muted">Source</div>
              <div className="mono">{describeSource(app.source)}</div>
            </div>
            <span className="spacer" />
            <button type="button" className="btn small" onClick={() => setChanging(true)}>
              Change…
            </button>
          </div>
        )}
        {!changing && !archive && !needsArchive && <PlanLine app={app} />}
        {!changing && !app.previewOf && <ArchiveField file={archive} onFile={setArchive} root={root} onRoot={setRoot} sent={sent} />}
        <label className="field">
          <span>Title</span>
          <input className="input" name="title" value={title} onChange={(e) => setTitle(e.target.value)} placeholder="What changed, e.g. Fix checkout rounding" data-autofocus maxLength={200} />
          <span className="hint">Shown in the history; a git source uses the commit message when empty.</span>
        </label>
        {!changing && !archive && !app.previewOf && app.source.kind === 'git' && (
          <label className="field">
            <span>Branch, tag or commit (this deployment only)</span>
            <input className="input mono" value={ref} onChange={(e) => setRef(e.target.value)} placeholder={app.source.ref} />
          </label>
        )}
        {!app.previewOf && (archive ? 'archive' : changing ? source.kind : app.source.kind) !== 'image' && (
          <label className="check">
            <input type="checkbox" checked={clean} onChange={(e) => setClean(e.target.checked)} /> Build without the layer cache
          </label>
        )}
        {error && <ErrorText error={error} boxed />}
      </form>
    </Dialog>
  );
}
