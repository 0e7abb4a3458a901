import type { DeploymentSummary } from '../../../../shared/api/deployments';
import { StatusBadge } from '../../components/Status';

/** Deployments waiting their turn for this app, each with Cancel. */
export function QueueList({ items, onCancel }: { items: DeploymentSummary[]; onCancel: (id: string) => void }) {
  if (items.length === 0) return null;
  return (
    <div className="queue card" data-testid="queue">
      <h3>Queue · {items.length} waiting</h3>
      <ul>
        {items.map((q, i) => (
          <li key={q.id} className="row">
            <span className="muted">{i + 1}.</span>
            <StatusBadge status={q.status} />
            <span>
              #{q.seq} {q.title}
            </span>
            <span className="spacer" />
            <button type="button" className="btn small" onClick={() => onCancel(q.id)}>
              Cancel
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
