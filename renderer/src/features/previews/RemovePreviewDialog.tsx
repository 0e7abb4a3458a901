import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { ErrorText } from '../../components/ErrorText';
import { useAction } from '../../lib/use-action';
import { usePreviews } from '../../stores';

/** Removing a preview: its containers, route and images go; its records stay unless the user drops them. */
export function RemovePreviewDialog({ serverId, app, refName, onClose, onRemoved }: { serverId: string; app: string; refName: string; onClose: () => void; onRemoved?: () => void }) {
  const [dropRecords, setDropRecords] = useState(false);
  const { busy, error, run } = useAction(async () => {
    await usePreviews.getState().remove(serverId, app, refName, dropRecords);
    onClose();
    onRemoved?.();
  });
  return (
    <Dialog
      title={`Remove the preview of ${refName}?`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} data-autofocus>
            Cancel
          </button>
          <button type="button" className="btn danger solid" disabled={busy} onClick={() => void run()}>
            {busy ? 'Removing…' : 'Remove preview'}
          </button>
        </>
      }
    >
      <p>Its containers, its route on the edge proxy and its images are removed from the server; {app} itself keeps serving.</p>
      <label className="check">
        <input type="checkbox" checked={dropRecords} onChange={(e) => setDropRecords(e.target.checked)} /> Also delete its deployment records and logs
      </label>
      {!dropRecords && <p className="muted small">Its records are kept: a new preview of this branch continues its history.</p>}
      {error && <ErrorText error={error} boxed />}
    </Dialog>
  );
}
