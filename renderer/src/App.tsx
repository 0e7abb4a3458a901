import { useEffect } from 'react';
import { EmptyState } from './components/EmptyState';
import { ErrorText } from './components/ErrorText';
import { Toasts } from './components/Toasts';
import { AccessRefused } from './features/access/AccessRefused';
import { AppPage } from './features/apps/AppPage';
import { DeployDialog } from './features/apps/DeployDialog';
import { NewAppDialog } from './features/apps/NewAppDialog';
import { RollbackDialog } from './features/rollback/RollbackDialog';
import { HostKeyDialog } from './features/servers/HostKeyDialog';
import { RemoveServerDialog } from './features/servers/RemoveServerDialog';
import { ServerDialog } from './features/servers/ServerDialog';
import { ServerPage } from './features/servers/ServerPage';
import { Sidebar } from './features/servers/Sidebar';
import { StoreWarnings } from './features/store/StoreWarnings';
import { QuickSwitcher } from './features/switcher/QuickSwitcher';
import { ShortcutsDialog } from './features/switcher/ShortcutsDialog';
import { useGlobalShortcuts } from './features/switcher/shortcuts';
import { useApps, useServers, useUi } from './stores';

export function App() {
  const refused = useUi((s) => s.refused);
  return refused ? <AccessRefused refused={refused} /> : <Shell />;
}

function Shell() {
  useGlobalShortcuts();
  const servers = useServers((s) => s.servers);
  const loaded = useServers((s) => s.loaded);
  const loadError = useServers((s) => s.loadError);
  const serverId = useUi((s) => s.serverId);
  const appId = useUi((s) => s.appId);
  const connected = useUi((s) => s.connected);
  const selected = servers.find((s) => s.id === serverId);

  // Keep the selection on a server that exists: the first one when the saved one is gone.
  useEffect(() => {
    if (!loaded) return;
    if (!selected && servers[0]) useUi.getState().selectServer(servers[0].id);
  }, [loaded, selected, servers]);

  useEffect(() => {
    if (serverId && selected) void useApps.getState().load(serverId);
  }, [serverId, selected]);

  return (
    <div className="shell">
      <Sidebar />
      <main className="main">
        {!connected && (
          <div className="banner" role="status">
            <span className="status-icon active">◌</span> Reconnecting to the Berth engine…
          </div>
        )}
        <StoreWarnings />
        {loadError && (
          <div className="page-body">
            <ErrorText error={loadError} boxed />
          </div>
        )}
        {loaded && servers.length === 0 && !loadError && (
          <div className="page-body">
            <EmptyState
              title="Add your first server"
              action={
                <button type="button" className="btn primary" onClick={() => useUi.getState().openDialog({ kind: 'add-server' })} data-autofocus>
                  Add server
                </button>
              }
            >
              Berth reaches a server over SSH and uses its Docker engine: no agent to install and no port to open. Enter
              a host and a key, or pick an entry of ~/.ssh/config.
            </EmptyState>
          </div>
        )}
        {selected && (appId ? <AppPage key={`${selected.id}/${appId}`} serverId={selected.id} app={appId} /> : <ServerPage key={selected.id} serverId={selected.id} />)}
      </main>
      <Dialogs />
      <HostKeyDialog />
      <QuickSwitcher />
      <Toasts />
    </div>
  );
}

function Dialogs() {
  const dialog = useUi((s) => s.dialog);
  switch (dialog?.kind) {
    case 'add-server':
      return <ServerDialog />;
    case 'edit-server':
      return <ServerDialog serverId={dialog.serverId} />;
    case 'remove-server':
      return <RemoveServerDialog serverId={dialog.serverId} />;
    case 'new-app':
      return <NewAppDialog />;
    case 'deploy':
      return <DeployDialog archive={dialog.archive} />;
    case 'rollback':
      return <RollbackDialog deploymentId={dialog.deploymentId} />;
    case 'shortcuts':
      return <ShortcutsDialog />;
    default:
      return null;
  }
}
