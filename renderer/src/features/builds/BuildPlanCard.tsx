import { useEffect, useState } from 'react';
import type { App } from '../../../../shared/api/apps';
import type { BuildPlan } from '../../../../shared/api/builds';
import { ErrorText } from '../../components/ErrorText';
import { useAction } from '../../lib/use-action';
import { planOf } from '../../stores/builds';
import { useApps, useBuilds, useToasts } from '../../stores';

const ORIGIN: Record<BuildPlan['origin'], string> = {
  source: "The source's own Dockerfile",
  kept: 'The Dockerfile kept in this app',
  static: 'A static site served by busybox httpd',
  generated: 'A Dockerfile written for the stack found',
};

/**
 * What the next deployment will build with, as the engine plans it: shown before any build, editable, and kept in
 * the app once saved (then it is the app's Dockerfile). A git source is read through a clone on the server, so its
 * plan is asked for by hand.
 */
export function BuildPlanCard({ app }: { app: App }) {
  const slot = useBuilds((s) => planOf(s, app.serverId, app.name));
  const askOnView = app.source.kind !== 'git';
  const settings = JSON.stringify([app.source, app.build, app.runtime.httpPort, app.runtime.command]);
  useEffect(() => {
    if (askOnView) void useBuilds.getState().loadPlan(app.serverId, app.name);
  }, [app.serverId, app.name, askOnView, settings]);

  return (
    <section className="card settings-section" aria-label="Build plan">
      <div className="row">
        <h2>Build plan</h2>
        <span className="spacer" />
        <button type="button" className="btn small" disabled={slot.loading} onClick={() => void useBuilds.getState().loadPlan(app.serverId, app.name)}>
          {slot.loading ? 'Reading the source…' : slot.plan || slot.error ? 'Read again' : app.source.kind === 'git' ? 'Show the plan (clones on the server)' : 'Show the plan'}
        </button>
      </div>
      {slot.error && <ErrorText error={slot.error} />}
      {slot.plan && <PlanView key={JSON.stringify(slot.plan)} app={app} plan={slot.plan} />}
    </section>
  );
}

function PlanView({ app, plan }: { app: App; plan: BuildPlan }) {
  const [text, setText] = useState(plan.dockerfile ?? '');
  const edited = plan.dockerfile !== null && text !== plan.dockerfile;
  const keep = useAction(async () => {
    await useApps.getState().update(app.serverId, app.name, { build: { mode: 'dockerfile', dockerfileText: text } });
    useToasts.getState().push({ title: 'Plan kept in the app', body: 'The next deployment builds with this Dockerfile.', level: 'success' });
  });
  const drop = useAction(async () => {
    await useApps.getState().update(app.serverId, app.name, { build: { mode: 'dockerfile', dockerfileText: null } });
  });
  return (
    <div className="build-plan" data-testid="build-plan" data-origin={plan.origin}>
      <div className="plan-origin">
        <strong>{ORIGIN[plan.origin]}</strong>
        {plan.stack && plan.origin === 'generated' && <span className="kind-tag">{plan.stack}</span>}
        <code className="muted">{plan.dockerfilePath}</code>
      </div>
      {plan.evidence.length > 0 && (
        <ul className="plan-facts">
          {plan.evidence.map((fact) => (
            <li key={fact}>{fact}</li>
          ))}
        </ul>
      )}
      {plan.notes.map((note) => (
        <div key={note} className="hint tone-amber">
          {note}
        </div>
      ))}
      {plan.dockerfile === null ? (
        <span className="muted">The build reads {plan.dockerfilePath} from the source as it is; Berth writes nothing.</span>
      ) : (
        <>
          <textarea className="textarea plan-text" aria-label="Dockerfile" rows={Math.min(18, text.split('\n').length + 1)} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
          <div className="row">
            <span className="hint muted small">
              {edited ? 'Edited: keep it in the app to build with your version.' : plan.origin === 'kept' ? 'Builds use this text instead of the source’s Dockerfile.' : 'Kept with each release it builds.'}
            </span>
            <span className="spacer" />
            {plan.origin === 'kept' && (
              <button type="button" className="btn small" disabled={drop.busy} onClick={() => void drop.run()}>
                Use the source’s Dockerfile again
              </button>
            )}
            <button type="button" className="btn small primary" disabled={keep.busy || (plan.origin === 'kept' && !edited)} onClick={() => void keep.run()}>
              {keep.busy ? 'Keeping…' : 'Keep this Dockerfile in the app'}
            </button>
          </div>
        </>
      )}
      {keep.error && <ErrorText error={keep.error} />}
      {drop.error && <ErrorText error={drop.error} />}
    </div>
  );
}
