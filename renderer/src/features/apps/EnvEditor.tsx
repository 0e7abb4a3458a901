import { useEffect, useState } from 'react';
import type { App, EnvParseResult } from '../../../../shared/api/apps';
import type { ErrorEnvelope } from '../../../../shared/errors';
import { ErrorText } from '../../components/ErrorText';
import { toError } from '../../lib/errors';
import { useApps, useToasts } from '../../stores';

/** The app's variables (secrets masked), and a box to paste a .env that the engine checks line by line. */
export function EnvEditor({ app }: { app: App }) {
  const [text, setText] = useState('');
  const [secret, setSecret] = useState(false);
  const [parsedFor, setParsed] = useState<{ text: string; result: EnvParseResult }>();
  const [error, setError] = useState<ErrorEnvelope>();
  const [busy, setBusy] = useState(false);
  const env = app.runtime.env;

  // The engine parses, so the preview shows exactly the errors an import would reject.
  const parsed = parsedFor && parsedFor.text === text && text.trim() ? parsedFor.result : undefined;
  useEffect(() => {
    if (!text.trim()) return;
    const t = setTimeout(() => {
      useApps
        .getState()
        .parseEnv(text)
        .then((result) => setParsed({ text, result }), (e) => setError(toError(e)));
    }, 250);
    return () => clearTimeout(t);
  }, [text]);

  const importEnv = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await useApps.getState().importEnv(app.serverId, app.name, text, secret);
      useToasts.getState().push({ title: `Imported ${parsed?.vars.length ?? ''} variables`, body: 'They apply from the next deployment.', level: 'success' });
      setText('');
    } catch (e) {
      setError(toError(e));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (key: string) => {
    setError(undefined);
    try {
      await useApps.getState().update(app.serverId, app.name, {
        runtime: { env: env.filter((v) => v.key !== key).map((v) => (v.secret ? { key: v.key, secret: true } : { key: v.key, value: v.value ?? '', secret: false })) },
      });
    } catch (e) {
      setError(toError(e));
    }
  };

  return (
    <div className="env">
      {env.length === 0 ? (
        <p className="muted">No variables. Paste a .env below to add some.</p>
      ) : (
        <table className="table env-table">
          <tbody>
            {env.map((v) => (
              <tr key={v.key}>
                <td className="mono">{v.key}</td>
                <td className="mono env-value">{v.secret ? <span className="muted">•••••• secret</span> : v.value}</td>
                <td className="actions">
                  <button type="button" className="btn ghost small" aria-label={`Remove ${v.key}`} onClick={() => void remove(v.key)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <label className="field">
        <span>Paste a .env</span>
        <textarea className="textarea" rows={5} value={text} onChange={(e) => setText(e.target.value)} placeholder={'DATABASE_URL=postgres://…\nFEATURE_X=on'} spellCheck={false} />
      </label>
      {parsed && parsed.errors.length > 0 && (
        <ul className="env-errors" data-testid="env-errors">
          {parsed.errors.map((e) => (
            <li key={`${e.line}:${e.message}`} className="tone-red">
              Line {e.line}: {e.message}
            </li>
          ))}
        </ul>
      )}
      {parsed && parsed.warnings.length > 0 && (
        <ul className="env-errors">
          {parsed.warnings.map((e) => (
            <li key={`${e.line}:${e.message}`} className="tone-amber">
              Line {e.line}: {e.message}
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <label className="check">
          <input type="checkbox" checked={secret} onChange={(e) => setSecret(e.target.checked)} /> Store these as secrets
        </label>
        <span className="spacer" />
        {parsed && <span className="muted small">{parsed.vars.length} variables</span>}
        <button type="button" className="btn" disabled={!text.trim() || busy || (parsed?.errors.length ?? 0) > 0} onClick={() => void importEnv()}>
          Import
        </button>
      </div>
      {error && <ErrorText error={error} />}
    </div>
  );
}
