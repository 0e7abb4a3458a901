import { useEffect, useState } from 'react';
import type { Deployment } from '../../../../shared/api/deployments';
import { StatusBadge } from '../../components/Status';
import { shortDuration } from '../../lib/format';
import { phasesOf } from './phases';

const marks = { done: '✓', running: '◌', waiting: '·', failed: '✕', skipped: '–' };

/** The running deployment: build → start → health → switch, each with its time, the current one ticking. */
export function PhaseProgress({ deployment, onCancel, onLogs }: { deployment: Deployment; onCancel: () => void; onLogs: () => void }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);
  const phases = phasesOf(deployment, now);
  return (
    <div className="running card" data-testid="running-deployment">
      <div className="row">
        <StatusBadge status={deployment.status} />
        <strong>
          #{deployment.seq} {deployment.title}
        </strong>
        <span className="spacer" />
        <button type="button" className="btn small" onClick={onLogs}>
          View log
        </button>
        <button type="button" className="btn small danger" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ol className="phases">
        {phases.map((p) => (
          <li key={p.name} className={`phase ${p.state}`}>
            <span className={`status-icon${p.state === 'running' ? ' active' : ''}`} aria-hidden="true">
              {marks[p.state]}
            </span>
            <span className="phase-label">{p.label}</span>
            <span className="phase-time">{p.ms !== undefined ? shortDuration(p.ms) : ''}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
