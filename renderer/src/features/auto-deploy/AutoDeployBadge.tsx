import { useEffect } from 'react';
import type { App } from '../../../../shared/api/apps';
import { useAction } from '../../lib/use-action';
import { useAutoDeploy, useUi } from '../../stores';
import { autoDeployKey } from '../../stores/auto-deploy';

/** In the app's header: what auto-deploy watches, or that it is paused, with the one button that undoes a pause. */
export function AutoDeployBadge({ app }: { app: App }) {
  const status = useAutoDeploy((s) => s.byApp[autoDeployKey(app.serverId, app.name)]);
  const resume = useAction(() => useAutoDeploy.getState().resume(app.serverId, app.name));

  useEffect(() => {
    if (app.source.kind === 'git') void useAutoDeploy.getState().load(app.serverId, app.name).catch(() => undefined);
  }, [app.serverId, app.name, app.source.kind]);

  const watch = status?.settings?.watch;
  if (!status || !watch) return null;
  const what = watch.kind === 'branch' ? watch.branch : `tags ${watch.pattern}`;
  return (
    <div className="auto-deploy-line" data-testid="auto-deploy-line">
      <button type="button" className={`badge ${status.paused ? 'tone-amber' : 'tone-green'} link-badge`} onClick={() => useUi.getState().setTab('settings')} title="Auto-deploy settings">
        auto-deploy {status.paused ? 'paused' : 'on'}
      </button>
      <span className="muted small mono">{what}</span>
      {status.lastError && !status.paused && <span className="tone-red small">last check failed</span>}
      {status.paused && (
        <button type="button" className="btn small" disabled={resume.busy} onClick={() => void resume.run()}>
          Resume
        </button>
      )}
    </div>
  );
}
