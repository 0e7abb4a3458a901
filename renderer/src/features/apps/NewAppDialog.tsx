import { useState, type FormEvent } from 'react';
import type { ErrorEnvelope } from '../../../../shared/errors';
import { Dialog } from '../../components/Dialog';
import { ErrorText } from '../../components/ErrorText';
import { toError } from '../../lib/errors';
import { useApps, useDeployments, useServers, useUi } from '../../stores';
import { draftOfSource, SourceFields, sourceOfDraft, type SourceDraft } from './SourceFields';

/** A new app: its name, where its code comes from, the port it listens on. Everything else has a default. */
export function NewAppDialog() {
  const serverId = useUi((s) => s.serverId);
  const server = useServers((s) => s.servers.find((x) => x.id === serverId));
  const [name, setName] = useState('');
  const [source, setSource] = useState<SourceDraft>(() => draftOfSource(undefined));
  const [port, setPort] = useState('8080');
  const [healthPath, setHealthPath] = useState('/');
  const [domain, setDomain] = useState('');
  const [deployNow, setDeployNow] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorEnvelope>();
  const close = () => useUi.getState().openDialog(undefined);
  if (!serverId) return null;
  const nameOk = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(name);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const app = await useApps.getState().create({
        serverId,
        name,
        source: sourceOfDraft(source),
        runtime: {
          httpPort: port.trim() ? Number(port) : null,
          healthCheck: { kind: port.trim() ? 'http' : 'none', path: healthPath || '/' },
          domains: domain.trim() ? [domain.trim()] : [],
        },
      });
      close();
      useUi.getState().selectApp(app.name);
      // an archive app's first deployment needs its archive: the deploy dialog asks for it
      if (deployNow && app.source.kind === 'archive') useUi.getState().openDialog({ kind: 'deploy' });
      else if (deployNow) {
        const d = await useDeployments.getState().deploy({ serverId, app: app.name, title: 'First deployment' });
        useUi.getState().viewLogs({ kind: 'deployment', deploymentId: d.id });
      }
    } catch (e) {
      setError(toError(e));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={`New app on ${server?.name ?? serverId}`}
      onClose={close}
      footer={
        <>
          <label className="check spacer">
            <input type="checkbox" checked={deployNow} onChange={(e) => setDeployNow(e.target.checked)} /> Deploy it now
          </label>
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="submit" form="app-form" className="btn primary" disabled={busy || !nameOk || (source.kind !== 'archive' && !source.location.trim())}>
            {busy ? 'Creating…' : deployNow ? 'Create and deploy' : 'Create app'}
          </button>
        </>
      }
    >
      <form id="app-form" className="form" onSubmit={submit}>
        <label className="field">
          <span>Name</span>
          <input className="input" name="name" value={name} onChange={(e) => setName(e.target.value.toLowerCase())} placeholder="shop-api" data-autofocus aria-invalid={name !== '' && !nameOk} />
          <span className="hint">{name !== '' && !nameOk ? 'Lowercase letters, digits and inner dashes.' : 'Names the image, the containers and the proxy route.'}</span>
        </label>
        <SourceFields value={source} onChange={setSource} />
        <div className="grid2">
          <label className="field">
            <span>HTTP port in the container</span>
            <input className="input" name="httpPort" value={port} onChange={(e) => setPort(e.target.value)} inputMode="numeric" placeholder="none" />
            <span className="hint">The edge proxy sends traffic here; empty for a worker.</span>
          </label>
          <label className="field">
            <span>Health check path</span>
            <input className="input mono" name="healthPath" value={healthPath} onChange={(e) => setHealthPath(e.target.value)} disabled={!port.trim()} />
            <span className="hint">Traffic switches only once it answers 2xx.</span>
          </label>
        </div>
        <label className="field">
          <span>Domain (optional)</span>
          <input className="input mono" name="domain" value={domain} onChange={(e) => setDomain(e.target.value)} placeholder="shop.example.com" disabled={!port.trim()} spellCheck={false} />
          <span className="hint">The edge proxy sends requests for this host name to the app.</span>
        </label>
        {error && <ErrorText error={error} boxed />}
      </form>
    </Dialog>
  );
}
