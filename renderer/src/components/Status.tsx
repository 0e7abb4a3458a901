import { connectionLook, statusLook } from '../lib/status';

export function StatusIcon({ status }: { status: string }) {
  const look = statusLook(status);
  return (
    <span className={`status-icon tone-${look.tone}${look.active ? ' active' : ''}`} aria-hidden="true">
      {look.icon}
    </span>
  );
}

/** The one way a deployment status is drawn, in tables, headers, dialogs and toasts. */
export function StatusBadge({ status, checking = false }: { status: string; checking?: boolean }) {
  const look = statusLook(status);
  return (
    <span
      className={`badge tone-${checking ? 'grey' : look.tone}`}
      data-status={status}
      title={checking ? 'The Berth that ran it is gone; this record is being checked against the server.' : undefined}
    >
      <span className={`status-icon${look.active || checking ? ' active' : ''}`} aria-hidden="true">
        {look.icon}
      </span>
      {checking ? `${look.label} · checking` : look.label}
    </span>
  );
}

export function ConnectionDot({ state, title }: { state: string | undefined; title?: string }) {
  const look = connectionLook(state);
  return (
    <span
      className={`dot tone-${look.tone}${look.hollow ? ' hollow' : ''}${look.active ? ' active' : ''}`}
      role="img"
      aria-label={look.label}
      title={title ?? look.label}
      data-state={state ?? 'idle'}
    />
  );
}
