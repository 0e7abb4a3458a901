import { useState } from 'react';
import type { Deployment } from '../../../../shared/api/deployments';
import { Dialog } from '../../components/Dialog';
import { ErrorText } from '../../components/ErrorText';
import { useRollback } from '../../stores';

/** A line about a release after the fact, for whoever thinks of rolling back to it. */
export function ReleaseNoteDialog({ d, onClose }: { d: Deployment; onClose: () => void }) {
  const busy = useRollback((s) => s.busy);
  const error = useRollback((s) => s.error);
  const [text, setText] = useState(d.releaseNote?.text ?? '');
  const save = async (value: string) => {
    if (await useRollback.getState().note(d.serverId, d.id, value)) onClose();
  };
  return (
    <Dialog
      title={`Note on #${d.seq} “${d.title}”`}
      onClose={onClose}
      footer={
        <>
          {d.releaseNote && (
            <button type="button" className="btn" disabled={busy} onClick={() => void save('')}>
              Remove note
            </button>
          )}
          <span className="spacer" />
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn primary" disabled={busy || text.trim() === ''} onClick={() => void save(text)}>
            Save note
          </button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim() !== '') void save(text);
        }}
      >
        <label className="field">
          <span>Note</span>
          <input className="input" name="note" value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. Leaks memory under load: do not roll back to it" data-autofocus maxLength={500} />
          <span className="hint">Shown in the history and before anyone rolls back to #{d.seq}.</span>
        </label>
      </form>
      {error && <ErrorText error={error} boxed />}
    </Dialog>
  );
}
