import { useEffect } from 'react';
import type { App } from '../../../../shared/api/apps';
import { planOf } from '../../stores/builds';
import { useBuilds, useUi } from '../../stores';

const MODE = { static: 'a static site (busybox httpd)', auto: 'a Dockerfile written for the stack found' } as const;

/**
 * One line in the deploy dialog saying what the build will use when Berth writes the Dockerfile, with the way to
 * the full plan. A folder's plan is read here; a git source's would need a clone, so only its mode is said.
 */
export function PlanLine({ app }: { app: App }) {
  const mode = app.build.mode ?? 'dockerfile';
  const written = mode !== 'dockerfile' || Boolean(app.build.dockerfileText);
  const readable = written && app.source.kind === 'folder';
  const slot = useBuilds((s) => planOf(s, app.serverId, app.name));
  useEffect(() => {
    if (readable) void useBuilds.getState().loadPlan(app.serverId, app.name);
  }, [readable, app.serverId, app.name]);
  if (!written) return null;
  const plan = slot.plan;
  const what = plan
    ? plan.origin === 'generated'
      ? `a Dockerfile written for ${plan.stack ?? 'the stack'} (${plan.evidence.slice(1).join('; ') || plan.evidence[0] || 'detected'})`
      : plan.origin === 'kept'
        ? 'the Dockerfile kept in the app'
        : MODE.static
    : app.build.dockerfileText && mode === 'dockerfile'
      ? 'the Dockerfile kept in the app'
      : MODE[mode as keyof typeof MODE];
  return (
    <div className="info-box row" data-testid="plan-line">
      <div>
        <div className="small muted">Build</div>
        <div>Builds with {what}.</div>
        {slot.error && <div className="small tone-red">{slot.error.message}</div>}
        {plan?.notes.map((note) => (
          <div key={note} className="small tone-amber">
            {note}
          </div>
        ))}
      </div>
      <span className="spacer" />
      <button
        type="button"
        className="btn small"
        onClick={() => {
          useUi.getState().openDialog(undefined);
          useUi.getState().setTab('settings');
        }}
      >
        See the plan
      </button>
    </div>
  );
}
