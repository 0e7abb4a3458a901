import { useStoreWarnings } from '../../stores';

/** Says, above every page, that a record or store file could not be read and where it was kept. */
export function StoreWarnings() {
  const warnings = useStoreWarnings((s) => s.warnings);
  if (warnings.length === 0) return null;
  return (
    <div className="banner" role="alert" aria-label="Problems with Berth's records">
      <ul className="store-warnings">
        {warnings.map((w) => (
          <li key={w.id}>
            {w.message} <span className="muted">({w.code})</span>
          </li>
        ))}
      </ul>
      <button type="button" className="btn small" onClick={() => void useStoreWarnings.getState().dismiss(warnings.map((w) => w.id))}>
        Dismiss
      </button>
    </div>
  );
}
