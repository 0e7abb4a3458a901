import { useEffect } from 'react';
import type { ServerOverview } from '../../../../shared/api/servers';
import { EmptyState } from '../../components/EmptyState';
import { ErrorText } from '../../components/ErrorText';
import { ConnectionDot, StatusBadge } from '../../components/Status';
import { bytes, clockTime, shortImage, timeAgo } from '../../lib/format';
import { liveByApp } from '../../lib/live';
import { useAction } from '../../lib/use-action';
import { connectionLook } from '../../lib/status';
import { appsOf } from '../../stores/apps';
import { useApps, useDeployments, useServers, useUi } from '../../stores';
import { HealthSection } from './HealthSection';

const REFRESH_MS = 15_000;

export function ServerPage({ serverId }: { serverId: string }) {
  const server = useServers((s) => s.servers.find((x) => x.id === serverId));
  const status = useServers((s) => s.statuses[serverId]);
  const overview = useServers((s) => s.overviews[serverId]);
  const state = status?.state;

  useEffect(() => {
    const { loadOverview, loadHealth, connect } = useServers.getState();
    const refresh = (): void => {
      const now = useServers.getState().statuses[serverId]?.state;
      if (now === 'connected') void loadOverview(serverId);
      // an unreachable server gets its health too: the SSH line says why, with the fix
      if (now !== 'host-key-pending') void loadHealth(serverId);
    };
    if (state === 'idle' || state === undefined) void connect(serverId).then(refresh);
    else refresh();
    const timer = setInterval(() => {
      if (useServers.getState().statuses[serverId]?.state === 'connected') refresh();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [serverId, state]);

  if (!server) return null;
  const look = connectionLook(state);
  const docker = overview?.data?.docker;

  return (
    <>
      <header className="page-head">
        <div className="crumbs">
          <span className="color-dot" style={{ background: server.color }} aria-hidden="true" />
          <h1>{server.name}</h1>
          <span className="muted mono">
            {server.user}@{server.host}:{server.port}
          </span>
          <span className="spacer" />
          <button type="button" className="btn" onClick={() => useUi.getState().openDialog({ kind: 'edit-server', serverId })}>
            Edit
          </button>
          <button type="button" className="btn primary" onClick={() => useUi.getState().openDialog({ kind: 'new-app' })}>
            New app
          </button>
        </div>
        <div className="live-line" data-testid="server-status">
          <ConnectionDot state={state} />
          <span>{look.label}</span>
          {status?.since && <span>· since {clockTime(status.since)}</span>}
          {status?.retryAt && state !== 'connected' && <span>· retrying at {clockTime(status.retryAt)}</span>}
          {docker && <span data-testid="docker-version">· Docker {docker.version}</span>}
          {(state === 'unreachable' || state === 'idle') && (
            <button type="button" className="btn small" onClick={() => void useServers.getState().connect(serverId).then(() => useServers.getState().loadOverview(serverId))}>
              Reconnect
            </button>
          )}
        </div>
      </header>
      <div className="page-body">
        {status?.error && state !== 'connected' && (
          <div className="stack">
            <ErrorText error={status.error} boxed />
            {status.error.code === 'HOST_KEY_CHANGED' && (
              <div className="row">
                <button type="button" className="btn danger" onClick={() => void useServers.getState().forgetHostKey(serverId)}>
                  Forget the old key and connect again
                </button>
                <span className="muted small">Only if you know the server was reinstalled or its key rotated: you will be asked to check the new fingerprint.</span>
              </div>
            )}
          </div>
        )}
        {state === 'host-key-pending' && <div className="warn-box">Confirm the server’s host key to connect.</div>}
        {(overview?.error ?? overview?.data?.error) && state === 'connected' && <ErrorText error={(overview?.error ?? overview?.data?.error)!} boxed />}
        {docker ? <OverviewCards docker={docker} /> : state === 'connected' || state === 'connecting' ? <div className="cards"><div className="card skeleton">Reading the server…</div></div> : null}
        <HealthSection serverId={serverId} />
        <ServerApps serverId={serverId} />
        <Drift serverId={serverId} />
      </div>
    </>
  );
}

type Docker = NonNullable<ServerOverview['docker']>;

function OverviewCards({ docker }: { docker: Docker }) {
  const disk = docker.disk;
  const freeRatio = disk && disk.totalBytes > 0 ? disk.freeBytes / disk.totalBytes : undefined;
  const lowDisk = freeRatio !== undefined && freeRatio < 0.1;
  return (
    <div className="cards" data-testid="overview">
      <Card label="Docker" value={docker.version} sub={`API ${docker.apiVersion}`} />
      <Card label="Operating system" value={docker.os} sub={`${docker.kernel} · ${docker.arch}`} />
      <Card label="CPU" value={`${docker.cpus} ${docker.cpus === 1 ? 'core' : 'cores'}`} sub={docker.arch} />
      <Card label="Memory" value={bytes(docker.memoryBytes)} sub="total" />
      <div className={`card${lowDisk ? ' warn' : ''}`} data-testid="disk-card">
        <div className="label">Disk free {lowDisk && '⚠'}</div>
        <div className="value">{disk ? bytes(disk.freeBytes) : '—'}</div>
        <div className="sub">
          {disk ? `${Math.round((freeRatio ?? 0) * 100)} % of ${bytes(disk.totalBytes)}${lowDisk ? ' · builds may fail: prune images' : ''}` : `unknown for ${docker.dockerRootDir}`}
        </div>
        {disk && (
          <div className="meter" aria-hidden="true">
            <div style={{ width: `${Math.round((1 - (freeRatio ?? 0)) * 100)}%` }} />
          </div>
        )}
      </div>
      <Card label="Swarm" value={docker.swarm === 'active' ? (docker.swarmManager ? 'manager' : 'worker') : docker.swarm} sub={docker.swarm === 'active' ? 'services with rolling updates' : 'standalone containers'} />
      <Card label="Containers" value={`${docker.containers.running} running`} sub={`${docker.containers.total} total · ${docker.images} images`} />
    </div>
  );
}

function Card({ label, value, sub }: { label: string; value: string; sub?: string }) {
  return (
    <div className="card">
      <div className="label">{label}</div>
      <div className={`value${value.length > 16 ? ' long' : ''}`} title={value}>
        {value}
      </div>
      {sub && <div className="sub" title={sub}>{sub}</div>}
    </div>
  );
}

function ServerApps({ serverId }: { serverId: string }) {
  const apps = useApps((s) => appsOf(s, serverId));
  const liveList = useDeployments((s) => s.live[serverId]);
  const connected = useServers((s) => s.statuses[serverId]?.state === 'connected');

  useEffect(() => {
    void useApps.getState().load(serverId);
    void useDeployments.getState().loadLive(serverId).catch(() => undefined);
  }, [serverId]);

  const live = liveByApp(liveList ?? []);
  return (
    <section className="section" aria-label="Apps">
      <div className="section-head">
        <h2>Apps</h2>
        <span className="muted">{apps.list.length || ''}</span>
      </div>
      {apps.error && <ErrorText error={apps.error} boxed />}
      {apps.loaded && apps.list.length === 0 && !apps.error && (
        <div className="card">
          <EmptyState
            title="No apps on this server yet"
            action={
              <button type="button" className="btn primary" onClick={() => useUi.getState().openDialog({ kind: 'new-app' })}>
                New app
              </button>
            }
          >
            {connected
              ? 'Create an app from a folder, a git repository or an image, then deploy it. Berth builds on the server and switches traffic when it is healthy.'
              : 'You can define apps now; deploying needs the server connected.'}
          </EmptyState>
        </div>
      )}
      {apps.list.length > 0 && (
        <table className="table clickable">
          <thead>
            <tr>
              <th>App</th>
              <th>Live release</th>
              <th>Status</th>
              <th>Image</th>
              <th>Since</th>
              <th>Domains</th>
            </tr>
          </thead>
          <tbody>
            {apps.list.map((app) => {
              const d = live.get(app.name);
              return (
                <tr key={app.name} onClick={() => useUi.getState().selectApp(app.name)} data-app-row={app.name}>
                  <td>
                    <button type="button" className="link-button" onClick={() => useUi.getState().selectApp(app.name)}>
                      {app.name}
                    </button>
                  </td>
                  <td className="title-cell">{d ? `#${d.seq} ${d.title}` : <span className="muted">not deployed</span>}</td>
                  <td>{d ? <StatusBadge status="live" /> : <span className="muted">—</span>}</td>
                  <td className="mono">{shortImage(d?.image?.id)}</td>
                  <td>{timeAgo(d?.timestamps.live)}</td>
                  <td className="muted">{app.runtime.domains.join(', ') || '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Drift({ serverId }: { serverId: string }) {
  const report = useDeployments((s) => s.drift[serverId]);
  const { busy: checking, error, run: check } = useAction(() => useDeployments.getState().reconcile(serverId));
  const items = report?.items ?? [];
  return (
    <section className="section" aria-label="Drift">
      <div className="section-head">
        <h2>Drift</h2>
        <span className="muted small">{report ? `checked ${timeAgo(report.at)}` : 'what runs on the server compared with the history'}</span>
        <span className="spacer" />
        <button type="button" className="btn small" onClick={() => void check()} disabled={checking}>
          {checking ? 'Checking…' : 'Check now'}
        </button>
      </div>
      {error && <ErrorText error={error} boxed />}
      {report && items.length === 0 && <div className="ok-box">No drift: every container matches the history.</div>}
      {items.map((item, i) => (
        <div key={i} className={item.kind === 'recovered' || item.kind === 'cleaned-up' ? 'info-box' : 'warn-box'} data-testid="drift-item">
          <strong>{item.app ?? 'server'}</strong> · {item.message} <code className="muted">{item.kind}</code>
        </div>
      ))}
    </section>
  );
}
