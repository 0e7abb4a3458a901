import { useEffect, useMemo, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { ErrorText } from '../../components/ErrorText';
import { StatusBadge } from '../../components/Status';
import { shortImage, timeAgo } from '../../lib/format';
import { liveOf } from '../../lib/live';
import { planView, rollbackCapability, type RollbackMode } from '../../lib/rollback-plan';
import { appsOf } from '../../stores/apps';
import { historyOf } from '../../stores/deployments';
import { useApps, useDeployments, useRollback, useServers, useToasts, useUi } from '../../stores';

/** The plan before a rollback: what changes, what it cannot undo, and one click to go. */
export function RollbackDialog({ deploymentId }: { deploymentId: string }) {
  const serverId = useUi((s) => s.serverId)!;
  const appName = useUi((s) => s.appId)!;
  const history = useDeployments((s) => historyOf(s, serverId, appName));
  const app = useApps((s) => appsOf(s, serverId).list.find((a) => a.name === appName));
  const serverName = useServers((s) => s.servers.find((x) => x.id === serverId)?.name ?? serverId);
  const { plan, planLoading, busy, error } = useRollback();
  const [mode, setMode] = useState<RollbackMode>('exact');
  const target = history.list.find((d) => d.id === deploymentId);
  const live = liveOf(history.list);
  const close = () => {
    useRollback.getState().reset();
    useUi.getState().openDialog(undefined);
  };

  useEffect(() => {
    void useRollback.getState().loadPlan(serverId, appName, deploymentId, mode);
  }, [serverId, appName, deploymentId, mode]);

  const view = useMemo(() => (target ? planView(target, live, app, mode) : undefined), [target, live, app, mode]);
  if (!target || !view) return null;
  const cap = plan ? { capable: plan.capable, reason: plan.reason } : rollbackCapability(target);

  const confirm = async () => {
    const started = await useRollback.getState().rollback(serverId, appName, target.id, mode);
    if (started) {
      useToasts.getState().push({ title: `Rolling back ${appName} to #${target.seq}`, body: `Started as #${started.seq} on ${serverName}.`, level: 'info' });
      close();
    }
  };

  // The engine's plan (checked on the server) when it has answered; until then the one drawn from the records.
  const imageFrom = plan ? plan.image.from : view.imageNow;
  const imageTo = plan ? plan.image.to : view.imageTarget;
  const env = plan ? plan.env.map((c) => ({ key: c.key, kind: c.change, secret: c.secret, from: c.from, to: c.to })) : view.env;
  const changed = plan ? plan.changes.map((c) => ({ label: c.label, from: c.from, to: c.to })) : view.rows.filter((r) => r.changed);
  // Unchanged settings come from the records, so the dialog says what stays as well as what moves.
  const changedLabels = new Set(plan ? plan.changes.map((c) => labelOfField[c.field] ?? c.label) : []);
  const same = plan ? view.rows.filter((r) => !changedLabels.has(r.label) && !r.changed) : view.rows.filter((r) => !r.changed);
  const notUndone = plan?.notUndone.length ? plan.notUndone : ['Database migrations', 'Data in volumes', 'Changes in external services (queues, caches, third-party APIs)'];

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
          {!cap.capable && (
            <span className="tone-red small spacer" data-testid="not-capable">
              {cap.reason}
            </span>
          )}
          {cap.capable && <span className="muted small spacer">{plan ? plan.reason : ''}</span>}
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="button" className="btn primary" data-autofocus disabled={busy || !cap.capable} onClick={() => void confirm()}>
            {busy ? 'Starting…' : `Roll back to #${target.seq}`}
          </button>
        </>
      }
    >
      <dl className="plan" data-testid="rollback-plan" data-source={plan ? 'engine' : 'records'}>
        <dt>Image</dt>
        <dd>
          <span className="mono">{shortImage(imageTo?.id)}</span> <span className="muted">(#{target.seq}, {timeAgo(target.timestamps.live ?? target.finishedAt)})</span>
          <span className="arrow">← now</span>
          <span className="mono">{shortImage(imageFrom?.id)}</span> {live && <span className="muted">(#{live.seq})</span>}
        </dd>
        <dt>Env</dt>
        <dd className="env-diff">
          {env.length === 0 && <span className="muted">unchanged</span>}
          {env.map((c) => (
            <span key={c.key} className={`env-change ${c.kind}`} data-kind={c.kind}>
              {c.kind === 'added' ? '+' : c.kind === 'removed' ? '−' : '~'} <strong>{c.key}</strong>
              {c.secret ? (
                <span className="muted"> (secret)</span>
              ) : c.kind === 'changed' ? (
                <span className="mono">
                  {' '}
                  {c.from} → {c.to}
                </span>
              ) : null}
            </span>
          ))}
          {!plan && view.secretsKept > 0 && <span className="muted small">{view.secretsKept} secret{view.secretsKept > 1 ? 's' : ''} on both sides (values not shown)</span>}
        </dd>
        {changed.map((r) => (
          <FragmentRow key={r.label} label={r.label}>
            <span className="mono">{r.from}</span> <span className="arrow">→</span> <span className="mono changed">{r.to}</span>
          </FragmentRow>
        ))}
        {same.map((r) => (
          <FragmentRow key={r.label} label={r.label}>
            <span className="mono">{r.to}</span> <span className="muted">(unchanged)</span>
          </FragmentRow>
        ))}
      </dl>

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

      <div className="warn-box small not-undone">
        <strong>Not undone by a rollback:</strong>
        <ul>
          {notUndone.map((item) => (
            <li key={item}>{item.replace(/\.$/, '')}</li>
          ))}
        </ul>
        Traffic switches only after #{target.seq} passes its health check; if it fails, the current release keeps serving.
      </div>
      {target.status !== 'superseded' && target.status !== 'live' && (
        <div className="info-box small">
          #{target.seq} is <StatusBadge status={target.status} />.
        </div>
      )}
      {planLoading && <span className="muted small">Checking the image on the server…</span>}
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

const labelOfField: Record<string, string> = {
  httpPort: 'Ports',
  published: 'Ports',
  healthCheck: 'Health',
  limits: 'Limits',
  replicas: 'Replicas',
  domains: 'Domains',
  volumes: 'Volumes',
  command: 'Command',
};

function FragmentRow({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}
