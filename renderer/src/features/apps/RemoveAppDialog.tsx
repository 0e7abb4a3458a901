import { useState } from 'react';
import type { ErrorEnvelope } from '../../../../shared/errors';
import { Dialog } from '../../components/Dialog';
import { ErrorText } from '../../components/ErrorText';
import { toError } from '../../lib/errors';
import { useApps, useUi } from '../../stores';

export function RemoveAppDialog({ serverId, app, onClose }: { serverId: string; app: string; onClose: () => void }) {
  const [keepRunning, setKeepRunning] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorEnvelope>();
  const remove = async () => {
    setBusy(true);
    try {
      await useApps.getState().remove(serverId, app, keepRunning);
      onClose();
      useUi.getState().selectApp(undefined);
    } catch (e) {
      setError(toError(e));
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={`Remove ${app}?`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} data-autofocus>
            Cancel
          </button>
          <button type="button" className="btn danger solid" disabled={busy} onClick={() => void remove()}>
            {busy ? 'Removing…' : 'Remove app'}
          </button>
        </>
      }
    >
      <p>Berth forgets the app’s settings. Its deployment history stays readable.</p>
      <label className="check">
        <input type="checkbox" checked={keepRunning} onChange={(e) => setKeepRunning(e.target.checked)} /> Keep its containers running on the server
      </label>
      {!keepRunning && <p className="muted small">Its containers and its route on the edge proxy are removed: the app stops answering.</p>}
      {error && <ErrorText error={error} boxed />}
    </Dialog>
  );
}
