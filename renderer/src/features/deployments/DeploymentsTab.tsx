import { useState } from 'react';
import type { ErrorEnvelope } from '../../../../shared/errors';
import { EmptyState } from '../../components/EmptyState';
import { ErrorText } from '../../components/ErrorText';
import { toError } from '../../lib/errors';
import { isActive } from '../../lib/status';
import { historyOf } from '../../stores/deployments';
import { useDeployments, useUi } from '../../stores';
import { HistoryTable } from './HistoryTable';
import { PhaseProgress } from './PhaseProgress';
import { QueueList } from './QueueList';

export function DeploymentsTab({ serverId, app }: { serverId: string; app: string }) {
  const history = useDeployments((s) => historyOf(s, serverId, app));
  const queue = useDeployments((s) => s.queue[serverId]);
  const [error, setError] = useState<ErrorEnvelope>();
  const running = history.list.filter((d) => isActive(d.status));
  const waiting = (queue ?? []).filter((q) => q.app === app && q.status === 'queued');

  const cancel = async (id: string) => {
    setError(undefined);
    try {
      await useDeployments.getState().cancel(serverId, id);
    } catch (e) {
      setError(toError(e));
    }
  };
  const logs = (deploymentId: string) => useUi.getState().viewLogs({ kind: 'deployment', deploymentId });

  if (history.loaded && history.list.length === 0 && !history.error) {
    return (
      <EmptyState
        title="No deployments yet"
        action={
          <button type="button" className="btn primary" onClick={() => useUi.getState().openDialog({ kind: 'deploy' })}>
            Deploy {app}
          </button>
        }
      >
        The first deployment builds the app on the server, starts it, waits for its health check and then sends traffic
        to it. Every deployment stays in this history so you can go back to it.
      </EmptyState>
    );
  }

  return (
    <div className="deployments">
      {error && <ErrorText error={error} boxed />}
      {history.error && <ErrorText error={history.error} boxed />}
      <QueueList items={waiting} onCancel={(id) => void cancel(id)} />
      {running.map((d) => (
        <PhaseProgress key={d.id} deployment={d} onCancel={() => void cancel(d.id)} onLogs={() => logs(d.id)} />
      ))}
      {history.list.length > 0 && <HistoryTable serverId={serverId} app={app} list={history.list} />}
      {history.more && (
        <button type="button" className="btn load-older" onClick={() => void useDeployments.getState().loadOlder(serverId, app)}>
          Load older deployments
        </button>
      )}
    </div>
  );
}
