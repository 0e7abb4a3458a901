import type { App } from '../../../../shared/api/apps';
import type { PartHealth, ServerHealth } from '../../../../shared/api/servers';
import type { AppUptime } from '../../../../shared/api/uptime';
import { BrandMark } from '../../components/BrandMark';
import { ConnectionDot } from '../../components/Status';
import { Menu } from '../../components/Menu';
import { modKey } from '../../lib/format';
import { connectionLook } from '../../lib/status';
import { appsOf } from '../../stores/apps';
import { useApps, useServers, useUi, useUptime } from '../../stores';
import { uptimeKey } from '../../stores/uptime';
import { ThemeToggle } from './ThemeToggle';

/** The first part of a server that is down (or, failing that, warns), as the engine judged it; an app the watch found down first. */
function healthProblem(health: ServerHealth | undefined, downApps: AppUptime[]): { tone: 'red' | 'amber'; text: string } | null {
  const app = downApps[0];
  if (app) return { tone: 'red', text: `${app.app} down: ${app.reason ?? app.detail}` };
  if (!health) return null;
  const parts: Array<[string, PartHealth]> = [['SSH', health.ssh], ['Docker', health.docker], ['edge proxy', health.proxy], ...health.apps.map((a): [string, PartHealth] => [a.app, a])];
  const down = parts.find(([, p]) => p.state === 'down');
  if (down) return { tone: 'red', text: `${down[0]} down: ${down[1].detail}` };
  const warning = parts.find(([, p]) => p.state === 'warning');
  return warning ? { tone: 'amber', text: `${warning[0]}: ${warning[1].detail}` } : null;
}

/** An app's previews, listed under it by branch. */
function previewsUnder(apps: readonly App[], parent: string): App[] {
  return apps.filter((a) => a.previewOf?.app === parent);
}

function DownMark({ app, reason }: { app: string; reason: string }) {
  return (
    <span className="health-mark tone-red" data-testid="app-down-mark" aria-label={`${app} is down: ${reason}`}>
      ✕
    </span>
  );
}

export function Sidebar() {
  const servers = useServers((s) => s.servers);
  const statuses = useServers((s) => s.statuses);
  const health = useServers((s) => s.health);
  const serverId = useUi((s) => s.serverId);
  const appId = useUi((s) => s.appId);
  const { selectServer, selectApp, openDialog, openSwitcher } = useUi.getState();
  const apps = useApps((s) => appsOf(s, serverId));
  const uptime = useUptime((s) => s.byApp);
  const downOn = (id: string): AppUptime[] => Object.values(uptime).filter((u) => u.serverId === id && u.state === 'down');
  const downReason = (name: string): string | null => {
    const u = serverId ? uptime[uptimeKey(serverId, name)] : undefined;
    return u?.state === 'down' ? (u.reason ?? u.detail) : null;
  };

  return (
    <nav className="sidebar" aria-label="Servers and apps">
      <div className="brand">
        <BrandMark />
        Berth
      </div>
      <div className="side-scroll">
        <div className="side-section">
          <h3>Servers</h3>
        </div>
        <ul className="side-list" data-testid="server-list">
          {servers.map((server, i) => {
            const status = statuses[server.id];
            const look = connectionLook(status?.state);
            const selected = server.id === serverId;
            const problem = healthProblem(health[server.id]?.data, downOn(server.id));
            return (
              <li key={server.id} className="server-row">
                <button
                  type="button"
                  className="side-item"
                  aria-current={selected && !appId ? 'true' : undefined}
                  data-server={server.id}
                  title={`${server.user}@${server.host}:${server.port} · ${look.label}${status?.error ? ` · ${status.error.message}` : ''}${problem ? ` · ${problem.text}` : ''}`}
                  onClick={() => selectServer(server.id)}
                >
                  <span className="color-bar" style={{ background: server.color }} aria-hidden="true" />
                  <ConnectionDot state={status?.state} />
                  <span className="name">{server.name}</span>
                  {problem && (
                    <span className={`health-mark tone-${problem.tone}`} data-testid="server-health-mark" aria-label={problem.text}>
                      {problem.tone === 'red' ? '✕' : '▲'}
                    </span>
                  )}
                  {i < 9 && <span className="shortcut">{modKey}{i + 1}</span>}
                </button>
                <span className="more">
                  <Menu
                    label={`Actions for ${server.name}`}
                    items={[
                      { label: 'Edit server…', onSelect: () => openDialog({ kind: 'edit-server', serverId: server.id }) },
                      { label: 'Reconnect', onSelect: () => void useServers.getState().connect(server.id) },
                      { label: 'Remove server…', danger: true, onSelect: () => openDialog({ kind: 'remove-server', serverId: server.id }) },
                    ]}
                  />
                </span>
                {selected && (
                  <ul className="side-list" aria-label={`Apps on ${server.name}`}>
                    {apps.list
                      .filter((app) => !app.previewOf)
                      .map((app) => {
                        const reason = downReason(app.name);
                        return (
                          <li key={app.name}>
                            <button
                              type="button"
                              className={`side-item app${reason ? ' down' : ''}`}
                              aria-current={app.name === appId ? 'true' : undefined}
                              data-app={app.name}
                              title={reason ? `${app.name} is down: ${reason}` : undefined}
                              onClick={() => selectApp(app.name)}
                            >
                              <span className="side-stack">
                                <span className="name">{app.name}</span>
                                {reason && <span className="down-reason">{reason}</span>}
                              </span>
                              {reason && <DownMark app={app.name} reason={reason} />}
                            </button>
                            {previewsUnder(apps.list, app.name).length > 0 && (
                              <ul className="side-list" aria-label={`Previews of ${app.name}`}>
                                {previewsUnder(apps.list, app.name).map((p) => {
                                  const previewDown = downReason(p.name);
                                  return (
                                    <li key={p.name}>
                                      <button
                                        type="button"
                                        className="side-item app preview"
                                        aria-current={p.name === appId ? 'true' : undefined}
                                        data-app={p.name}
                                        data-preview-of={app.name}
                                        title={`Preview of ${app.name} on ${p.previewOf?.ref ?? ''} (${p.name})${previewDown ? ` is down: ${previewDown}` : ''}`}
                                        onClick={() => selectApp(p.name)}
                                      >
                                        <span className="branch-mark" aria-hidden="true">↳</span>
                                        <span className="name">{p.previewOf?.ref}</span>
                                        {previewDown && <DownMark app={p.name} reason={previewDown} />}
                                      </button>
                                    </li>
                                  );
                                })}
                              </ul>
                            )}
                          </li>
                        );
                      })}
                    <li>
                      <button type="button" className="side-item app add" onClick={() => openDialog({ kind: 'new-app' })}>
                        + New app
                      </button>
                    </li>
                  </ul>
                )}
              </li>
            );
          })}
          <li>
            <button type="button" className="side-item add" onClick={() => openDialog({ kind: 'add-server' })}>
              + Add server
            </button>
          </li>
        </ul>
      </div>
      <div className="side-foot">
        <button type="button" className="btn ghost small" onClick={() => openSwitcher(true)}>
          <kbd>{modKey}K</kbd> Switch
        </button>
        <ThemeToggle />
      </div>
    </nav>
  );
}
