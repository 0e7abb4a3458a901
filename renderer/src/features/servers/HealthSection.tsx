import type { PartHealth, PartState, ServerHealth } from '../../../../shared/api/servers';
import { ErrorText } from '../../components/ErrorText';
import { timeAgo } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { useServers } from '../../stores';

const tones: Record<PartState, { tone: string; label: string }> = {
  ok: { tone: 'green', label: 'ok' },
  warning: { tone: 'amber', label: 'warning' },
  down: { tone: 'red', label: 'down' },
  unchecked: { tone: 'grey', label: 'not checked' },
};

/** The engine's verdict on each part of the server, one row each, with the fix under anything not ok. */
export function HealthSection({ serverId }: { serverId: string }) {
  const slot = useServers((s) => s.health[serverId]);
  const health = slot?.data;
  return (
    <section className="section" aria-label="Health">
      <div className="section-head">
        <h2>Health</h2>
        <span className="muted small">{health ? `checked ${timeAgo(health.checkedAt)}` : 'SSH, Docker, the edge proxy and each live release, checked one by one'}</span>
        <span className="spacer" />
        <button type="button" className="btn small" onClick={() => void useServers.getState().loadHealth(serverId)} disabled={slot?.loading}>
          {slot?.loading ? 'Checking…' : 'Check now'}
        </button>
      </div>
      {slot?.error && <ErrorText error={slot.error} boxed />}
      {health && <ProxySettingsNotice serverId={serverId} health={health} />}
      {health && (
        <table className="table" data-testid="health">
          <tbody>
            <PartRow label="SSH link" part={health.ssh} />
            <PartRow label="Docker" part={health.docker} />
            <PartRow label="Edge proxy" part={health.proxy} />
            {health.apps.map((a) => (
              <PartRow key={a.app} label={a.app} part={a} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function PartRow({ label, part }: { label: string; part: PartHealth }) {
  const look = tones[part.state];
  return (
    <tr data-part={label} data-state={part.state}>
      <td>{label}</td>
      <td>
        <span className={`badge tone-${look.tone}`}>{look.label}</span>
      </td>
      <td>
        <div>
          {part.detail}
          {part.code && part.state !== 'ok' && <code className="muted small"> {part.code}</code>}
        </div>
        {part.fix && part.state !== 'ok' && <div className="muted small">Fix: {part.fix}</div>}
      </td>
    </tr>
  );
}

/** The server's proxy settings are kept; changing them is this explicit action only. */
function ProxySettingsNotice({ serverId, health }: { serverId: string; health: ServerHealth }) {
  const { busy: applying, error, run: apply } = useAction(() => useServers.getState().applyProxy(serverId));
  const { onServer, mine, differs } = health.proxySettings;
  if (!onServer || differs.length === 0) return null;
  const describe = (s: typeof mine): string => differs.map((f) => `${f} ${String(s[f])}`).join(', ');
  return (
    <div className="warn-box stack" data-testid="proxy-settings-differ">
      <div>
        The edge proxy on this server runs with <strong>{describe(onServer)}</strong>; this server’s settings here say <strong>{describe(mine)}</strong>. Berth keeps the
        server’s settings until you apply yours.
      </div>
      <div className="row">
        <button type="button" className="btn small" onClick={() => void apply()} disabled={applying}>
          {applying ? 'Applying…' : 'Apply my proxy settings'}
        </button>
        <span className="muted small">The new proxy starts beside the old one, which keeps serving until the new one answers.</span>
      </div>
      {error && <ErrorText error={error} boxed />}
    </div>
  );
}
