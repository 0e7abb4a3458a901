import { useToasts } from '../stores';

const icons = { success: '●', error: '✕', warning: '⚠', info: 'ℹ' };
const tones = { success: 'green', error: 'red', warning: 'amber', info: 'blue' };

export function Toasts() {
  const toasts = useToasts((s) => s.toasts);
  const dismiss = useToasts((s) => s.dismiss);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className="toast" data-level={t.level}>
          <span className={`toast-icon tone-${tones[t.level]}`} aria-hidden="true">
            {icons[t.level]}
          </span>
          <div className="toast-text">
            <div className="toast-title">{t.title}</div>
            {t.body && (
              <div className="toast-body">
                {t.body}
                {t.code && <code>{t.code}</code>}
              </div>
            )}
          </div>
          <button type="button" className="btn ghost icon small" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
