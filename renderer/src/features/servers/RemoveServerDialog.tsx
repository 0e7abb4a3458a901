import { useState } from 'react';
import type { ErrorEnvelope } from '../../../../shared/errors';
import { Dialog } from '../../components/Dialog';
import { ErrorText } from '../../components/ErrorText';
import { toError } from '../../lib/errors';
import { useServers, useUi } from '../../stores';

export function RemoveServerDialog({ serverId }: { serverId: string }) {
  const server = useServers((s) => s.servers.find((x) => x.id === serverId));
  const [error, setError] = useState<ErrorEnvelope>();
  const close = () => useUi.getState().openDialog(undefined);
  if (!server) return null;
  const remove = async () => {
    try {
      await useServers.getState().remove(serverId);
      if (useUi.getState().serverId === serverId) useUi.getState().selectServer(useServers.getState().servers[0]?.id);
      close();
    } catch (e) {
      setError(toError(e));
    }
  };
  return (
    <Dialog
      title={`Remove ${server.name}?`}
      onClose={close}
      footer={
        <>
          <button type="button" className="btn" onClick={close} data-autofocus>
            Cancel
          </button>
          <button type="button" className="btn danger solid" onClick={() => void remove()}>
            Remove server
          </button>
        </>
      }
    >
      <p>
        Berth forgets {server.user}@{server.host}:{server.port} and its trusted host key. Apps keep running on the server;
        nothing is stopped or deleted there.
      </p>
      {error && <ErrorText error={error} boxed />}
    </Dialog>
  );
}
