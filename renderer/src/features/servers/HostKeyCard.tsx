import { useState } from 'react';
import type { HostKeyPrompt } from '../../../../shared/api/servers';
import { useServers } from '../../stores';

/** The fingerprint to compare with the server's own (`ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub`), and the choice. */
export function HostKeyCard({ prompt }: { prompt: HostKeyPrompt }) {
  const [busy, setBusy] = useState(false);
  const answer = async (accept: boolean) => {
    setBusy(true);
    await useServers.getState().answerHostKey(prompt.promptId, accept).catch(() => undefined);
  };
  return (
    <div className="warn-box host-key" data-testid="host-key-prompt">
      <div>
        <strong>First connection to {prompt.host}:{prompt.port}.</strong> Check that this is the server’s {prompt.keyType} key before trusting it:
      </div>
      <div className="fingerprint mono" data-testid="fingerprint">
        {prompt.fingerprint}
      </div>
      <div className="muted small">
        On the server: <code>ssh-keygen -lf /etc/ssh/ssh_host_{prompt.keyType.replace(/^ssh-/, '').replace(/^ecdsa.*/, 'ecdsa')}_key.pub</code>
      </div>
      <div className="row">
        <button type="button" className="btn primary" disabled={busy} onClick={() => void answer(true)}>
          Trust this key
        </button>
        <button type="button" className="btn" disabled={busy} onClick={() => void answer(false)}>
          Reject
        </button>
      </div>
    </div>
  );
}
