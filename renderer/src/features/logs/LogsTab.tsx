import { useEffect } from 'react';
import { ErrorText } from '../../components/ErrorText';
import { isActive } from '../../lib/status';
import { statusLook } from '../../lib/status';
import { historyOf } from '../../stores/deployments';
import { useDeployments, useLogs, useUi } from '../../stores';
import { LogViewer } from './LogViewer';

/** The Logs tab: the live container log, or the build and deploy log of any deployment. */
export function LogsTab({ serverId, app }: { serverId: string; app: string }) {
  const history = useDeployments((s) => historyOf(s, serverId, app));
  const source = useUi((s) => s.logSource);
  const running = history.list.find((d) => isActive(d.status));
  const chosen = source ?? (running ? { kind: 'deployment' as const, deploymentId: running.id } : { kind: 'container' as const });
  const deployment = chosen.kind === 'deployment' ? history.list.find((d) => d.id === chosen.deploymentId) : undefined;
  const active = deployment ? isActive(deployment.status) || deployment.status === 'queued' : false;
  const key =
    chosen.kind === 'deployment' ? `deployment:${serverId}:${chosen.deploymentId}` : `app:${serverId}:${app}`;

  useEffect(() => {
    const logs = useLogs.getState();
    const opened = chosen.kind === 'deployment' ? logs.openDeployment(serverId, chosen.deploymentId, active) : logs.openApp(serverId, app);
    return () => useLogs.getState().close(opened);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reopen only when the source changes, not on each status tick
  }, [key]);

  const state = useLogs((s) => s.sources[key]);
  const buffer = useLogs.buffer(key);

  const picker = (
    <select
      className="select log-source"
      aria-label="Log source"
      value={chosen.kind === 'deployment' ? chosen.deploymentId : 'container'}
      onChange={(e) => useUi.getState().viewLogs(e.target.value === 'container' ? { kind: 'container' } : { kind: 'deployment', deploymentId: e.target.value })}
    >
      <option value="container">Container log (live)</option>
      {history.list.slice(0, 200).map((d) => (
        <option key={d.id} value={d.id}>
          #{d.seq} {d.title} — {statusLook(d.status).label}
        </option>
      ))}
    </select>
  );

  let notice = null;
  if (state?.error) {
    notice = (
      <div className="log-notice">
        <ErrorText error={state.error} />
      </div>
    );
  } else if (state?.status === 'ended') {
    notice = (
      <div className="log-notice">
        <span>Follow ended: {state.endedReason}</span>
        <button type="button" className="btn small" onClick={() => useLogs.resume(key)}>
          Resume
        </button>
      </div>
    );
  } else if (chosen.kind === 'container' && state?.status === 'streaming' && state.containers?.length === 0) {
    notice = <div className="log-notice">No container of {app} is running. Deploy it, and its output shows up here.</div>;
  }

  return (
    <LogViewer
      key={key}
      buffer={buffer}
      name={chosen.kind === 'deployment' ? `${app}-${deployment?.seq ?? 'deployment'}` : app}
      reconnecting={state?.reconnecting}
      toolbar={picker}
      notice={notice}
      emptyText={state?.status === 'loading' ? 'Loading…' : chosen.kind === 'container' ? 'Waiting for output from the container…' : 'This deployment wrote no log lines.'}
    />
  );
}
