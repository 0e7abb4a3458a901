import { useEffect, useState } from 'react';
import type { RollbackMode, RollbackPlan } from '../../../../shared/api/rollback';
import { Dialog } from '../../components/Dialog';
import { ErrorText } from '../../components/ErrorText';
import { StatusBadge } from '../../components/Status';
import { shortImage } from '../../lib/format';
import { appsOf } from '../../stores/apps';
import { historyOf } from '../../stores/deployments';
import { useApps, useDeployments, useRollback, useServers, useToasts, useUi } from '../../stores';

/** The plan before a rollback, as the engine made it: what changes, what stays, what it cannot undo, one click to go. */
export function RollbackDialog({ deploymentId }: { deploymentId: string }) {
  const serverId = useUi((s) => s.serverId)!;
  const appName = useUi((s) => s.appId)!;
  const history = useDeployments((s) => historyOf(s, serverId, appName));
  const app = useApps((s) => appsOf(s, serverId).list.find((a) => a.name === appName));
  const serverName = useServers((s) => s.servers.find((x) => x.id === serverId)?.name ?? serverId);
  const { plan: answer, busy, error } = useRollback();
  const [mode, setMode] = useState<RollbackMode>('exact');
  const target = history.list.find((d) => d.id === deploymentId);
  const close = () => {
    useRollback.getState().reset();
    useUi.getState().openDialog(undefined);
  };

  useEffect(() => {
    void useRollback.getState().loadPlan(serverId, appName, deploymentId, mode);
  }, [serverId, appName, deploymentId, mode]);

  if (!target) return null;
  // a plan for another target or mode is never shown, however late it arrives
  const plan = answer && answer.target.id === target.id && answer.mode === mode ? answer : undefined;

  const confirm = async () => {
    const started = await useRollback.getState().rollback(serverId, appName, target.id, mode);
    if (started) {
      useToasts.getState().push({ title: `Rolling back ${appName} to #${target.seq}`, body: `Started as #${started.seq} on ${serverName}.`, level: 'info' });
      close();
    }
  };

  return (
    <Dialog
      wide
      label="Roll back"
      title={
        <>
          Roll back {appName} on {serverName} to #{target.seq} “{target.title}”?
        </>
      }
      onClose={close}
      footer={
        <>
          {plan && !plan.capable && (
            <span className="tone-red small spacer" data-testid="not-capable">
              {plan.reason}
            </span>
          )}
          {(!plan || plan.capable) && <span className="muted small spacer">{plan ? plan.reason : 'Checking the image on the server…'}</span>}
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="button" className="btn primary" data-autofocus disabled={busy || !plan?.capable} onClick={() => void confirm()}>
            {busy ? 'Starting…' : `Roll back to #${target.seq}`}
          </button>
        </>
      }
    >
      {plan ? <PlanList plan={plan} /> : error ? null : <PlanSkeleton />}

      <fieldset className="choice">
        <legend className="sr-only">What to run</legend>
        <label className="check">
          <input type="radio" name="mode" checked={mode === 'exact'} onChange={() => setMode('exact')} />
          <span>
            <strong>Exact release #{target.seq}</strong> <span className="muted">— its image and the config it ran with</span>
          </span>
        </label>
        <label className="check">
          <input type="radio" name="mode" checked={mode === 'redeploy'} onChange={() => setMode('redeploy')} disabled={!app} />
          <span>
            <strong>Image of #{target.seq} with today’s config</strong> <span className="muted">— env, ports and limits as the app is set now</span>
          </span>
        </label>
      </fieldset>

      {plan && (
        <div className="warn-box small not-undone">
          <strong>Not undone by a rollback:</strong>
          <ul>
            {plan.notUndone.map((item) => (
              <li key={item}>{item.replace(/\.$/, '')}</li>
            ))}
          </ul>
          Traffic switches only after #{target.seq} passes its health check; if it fails, the current release keeps serving.
        </div>
      )}
      {target.status !== 'superseded' && target.status !== 'live' && (
        <div className="info-box small">
          #{target.seq} is <StatusBadge status={target.status} />.
        </div>
      )}
      {plan?.warnings.map((w) => (
        <div key={w} className="warn-box small">
          {w}
        </div>
      ))}
      {plan?.refusal && <ErrorText error={plan.refusal} boxed />}
      {error && <ErrorText error={error} boxed />}
    </Dialog>
  );
}

function PlanList({ plan }: { plan: RollbackPlan }) {
  return (
    <dl className="plan" data-testid="rollback-plan" data-mode={plan.mode}>
      <dt>Image</dt>
      <dd>
        <span className="mono">{shortImage(plan.image.to?.id)}</span> <span className="muted">(#{plan.target.seq})</span>
        <span className="arrow">← now</span>
        <span className="mono">{shortImage(plan.image.from?.id)}</span> {plan.live && <span className="muted">(#{plan.live.seq})</span>}
      </dd>
      <dt>Env</dt>
      <dd className="env-diff">
        {plan.env.length === 0 && <span className="muted">unchanged</span>}
        {plan.env.map((c) => (
          <span key={c.key} className={`env-change ${c.change}`} data-kind={c.change}>
            {c.change === 'added' ? '+' : c.change === 'removed' ? '−' : '~'} <strong>{c.key}</strong>
            {c.secret ? (
              <span className="muted"> (secret)</span>
            ) : c.change === 'changed' ? (
              <span className="mono">
                {' '}
                {c.from} → {c.to}
              </span>
            ) : null}
          </span>
        ))}
        {plan.secretsKept > 0 && (
          <span className="muted small">
            {plan.secretsKept} secret{plan.secretsKept > 1 ? 's' : ''} on both sides (values not shown)
          </span>
        )}
      </dd>
      {plan.changes.map((c) => (
        <Row key={c.field} label={c.label}>
          <span className="mono">{c.from}</span> <span className="arrow">→</span> <span className="mono changed">{c.to}</span>
        </Row>
      ))}
      {plan.unchanged.map((c) => (
        <Row key={c.field} label={c.label}>
          <span className="mono">{c.value}</span> <span className="muted">(unchanged)</span>
        </Row>
      ))}
    </dl>
  );
}

/** Where the plan will be, while the engine checks the image on the server. */
function PlanSkeleton() {
  return (
    <dl className="plan" data-testid="rollback-plan-loading" aria-busy="true" aria-label="Loading the plan">
      {['Image', 'Env', 'Health check', 'Limits'].map((label) => (
        <Row key={label} label={label}>
          <span className="skeleton-line" />
        </Row>
      ))}
    </dl>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}
