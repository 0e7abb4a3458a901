import { useEffect, useState } from 'react';
import type { App } from '../../../../shared/api/apps';
import type { Deployment } from '../../../../shared/api/deployments';
import { Menu } from '../../components/Menu';
import { StatusBadge } from '../../components/Status';
import { clockTime, shortCommit, shortDuration, timeAgo } from '../../lib/format';
import { liveOf } from '../../lib/live';
import { appsOf } from '../../stores/apps';
import { historyOf } from '../../stores/deployments';
import type { AppTab } from '../../stores/ui';
import { useApps, useDeployments, useServers, useUi, useUptime } from '../../stores';
import { uptimeKey } from '../../stores/uptime';
import { DeploymentsTab } from '../deployments/DeploymentsTab';
import { LogsTab } from '../logs/LogsTab';
import { AutoDeployBadge } from '../auto-deploy/AutoDeployBadge';
import { PreviewsTab } from '../previews/PreviewsTab';
import { RemovePreviewDialog } from '../previews/RemovePreviewDialog';
import { AppDropZone } from './AppDropZone';
import { RemoveAppDialog } from './RemoveAppDialog';
import { SettingsTab } from './SettingsTab';

const allTabs: [AppTab, string][] = [
  ['deployments', 'Deployments'],
  ['previews', 'Previews'],
  ['logs', 'Logs'],
  ['settings', 'Settings'],
];

/** Previews are made from a git app's branches; a preview has none of its own. */
function tabsOf(definition: App | undefined): [AppTab, string][] {
  const previews = definition?.source.kind === 'git' && !definition.previewOf;
  return allTabs.filter(([t]) => t !== 'previews' || previews);
}

export function AppPage({ serverId, app }: { serverId: string; app: string }) {
  const server = useServers((s) => s.servers.find((x) => x.id === serverId));
  const definition = useApps((s) => appsOf(s, serverId).list.find((a) => a.name === app));
  const appsLoaded = useApps((s) => appsOf(s, serverId).loaded);
  const history = useDeployments((s) => historyOf(s, serverId, app));
  const tab = useUi((s) => s.tab);
  const [removing, setRemoving] = useState(false);

  useEffect(() => {
    void useDeployments.getState().load(serverId, app);
    void useDeployments.getState().loadQueue(serverId);
  }, [serverId, app]);

  if (appsLoaded && !definition) {
    return (
      <div className="page-body">
        <div className="warn-box">
          There is no app “{app}” on {server?.name ?? serverId} any more.{' '}
          <button type="button" className="btn small" onClick={() => useUi.getState().selectApp(undefined)}>
            Back to the server
          </button>
        </div>
      </div>
    );
  }

  const live = liveOf(history.list);
  const latest = history.list[0];
  const tabs = tabsOf(definition);
  const previewOf = definition?.previewOf;
  const onTabKey = (e: React.KeyboardEvent) => {
    const at = tabs.findIndex(([t]) => t === tab);
    const next = e.key === 'ArrowRight' ? at + 1 : e.key === 'ArrowLeft' ? at - 1 : undefined;
    if (next === undefined) return;
    const [t] = tabs[(next + tabs.length) % tabs.length]!;
    useUi.getState().setTab(t);
    document.getElementById(`tab-${t}`)?.focus();
  };

  return (
    <AppDropZone enabled={!!definition}>
      <header className="page-head">
        <div className="crumbs">
          <button type="button" className="crumb" onClick={() => useUi.getState().selectApp(undefined)}>
            {server?.name ?? serverId}
          </button>
          <span className="sep">›</span>
          <h1>{app}</h1>
          <span className="spacer" />
          <button type="button" className="btn primary" onClick={() => useUi.getState().openDialog({ kind: 'deploy' })} disabled={!definition}>
            Deploy
          </button>
          <Menu
            label={`More actions for ${app}`}
            items={[
              { label: 'Follow container logs', onSelect: () => useUi.getState().viewLogs({ kind: 'container' }) },
              { label: 'Edit settings', onSelect: () => useUi.getState().setTab('settings') },
              { label: previewOf ? 'Remove preview…' : 'Remove app…', danger: true, onSelect: () => setRemoving(true) },
            ]}
          />
          {removing && !previewOf && <RemoveAppDialog serverId={serverId} app={app} onClose={() => setRemoving(false)} />}
          {removing && previewOf && (
            <RemovePreviewDialog serverId={serverId} app={previewOf.app} refName={previewOf.ref} onClose={() => setRemoving(false)} onRemoved={() => useUi.getState().selectApp(previewOf.app, 'previews')} />
          )}
        </div>
        {previewOf && (
          <div className="preview-line" data-testid="preview-line">
            <span className="badge tone-blue">preview</span>
            <span>
              of{' '}
              <button type="button" className="link-button" onClick={() => useUi.getState().selectApp(previewOf.app, 'previews')}>
                {previewOf.app}
              </button>{' '}
              on <span className="mono">{previewOf.ref}</span>
            </span>
            {definition.runtime.domains.length > 0 && <span className="mono muted">· {definition.runtime.domains.join(', ')}</span>}
          </div>
        )}
        <LiveLine live={live} latest={latest} loaded={history.loaded} />
        {definition && <AutoDeployBadge app={definition} />}
        <div className="tabs" role="tablist" aria-label="App views" onKeyDown={onTabKey}>
          {tabs.map(([t, label]) => (
            <button
              key={t}
              id={`tab-${t}`}
              type="button"
              role="tab"
              className="tab"
              aria-selected={tab === t}
              tabIndex={tab === t ? 0 : -1}
              aria-controls={`panel-${t}`}
              onClick={() => useUi.getState().setTab(t)}
            >
              {label}
              {t === 'deployments' && history.list.length > 0 && <span className="tab-count">{history.more ? `${history.list.length}+` : history.list.length}</span>}
            </button>
          ))}
        </div>
      </header>
      <div className={`page-body${tab === 'logs' ? ' flush' : ''}`} role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'deployments' && <DeploymentsTab serverId={serverId} app={app} />}
        {tab === 'previews' && definition && tabs.some(([t]) => t === 'previews') && <PreviewsTab app={definition} />}
        {tab === 'logs' && <LogsTab serverId={serverId} app={app} />}
        {tab === 'settings' && definition && <SettingsTab app={definition} />}
      </div>
    </AppDropZone>
  );
}

function LiveLine({ live, latest, loaded }: { live?: Deployment; latest?: Deployment; loaded: boolean }) {
  const watch = useDeployments((s) => (live ? s.watch[live.id] : undefined));
  const uptime = useUptime((s) => (live ? s.byApp[uptimeKey(live.serverId, live.app)] : undefined));
  const down = uptime?.state === 'down' && uptime.deploymentId === live?.id ? uptime : undefined;
  if (!loaded) return <div className="live-line">Reading the history…</div>;
  if (!live) {
    return (
      <div className="live-line" data-testid="live-line">
        <span className="muted">Nothing live yet.</span>
        {latest && (
          <>
            <span className="title">
              #{latest.seq} “{latest.title}”
            </span>
            <StatusBadge status={latest.status} />
          </>
        )}
      </div>
    );
  }
  return (
    <div className="live-line" data-testid="live-line">
      <StatusBadge status="live" />
      {down && (
        <span className="badge tone-red" data-testid="live-down" title={down.detail}>
          ✕ down: {down.reason ?? down.detail}
        </span>
      )}
      <span className="title">
        #{live.seq} “{live.title}”
      </span>
      {live.source.commit && <span className="mono">· {shortCommit(live.source.commit.hash)}</span>}
      <span>· {timeAgo(live.timestamps.live)}</span>
      {live.switch && <span>· switch gap {shortDuration(live.switch.gapMs)}</span>}
      {live.kind === 'rollback' && <span className="badge tone-amber">rollback</span>}
      {watch?.state === 'watching' && <span className="badge tone-blue">watching until {clockTime(watch.until)}</span>}
    </div>
  );
}
