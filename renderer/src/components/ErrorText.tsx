import type { ErrorEnvelope } from '../../../shared/errors';
import { fixFor } from '../lib/errors';

/** An error in words, its code small beside it, and what to do when the sentence does not already say it. */
export function ErrorText({ error, boxed = false }: { error: ErrorEnvelope; boxed?: boolean }) {
  // The engine's sentences usually say what to do already; the stock fix is for the terse ones.
  const saysFix = /\.\s+\S/.test(error.message.trim());
  const fix = saysFix ? undefined : fixFor(error.code);
  return (
    <div className={`error-text${boxed ? ' error-box' : ''}`} role="alert" data-code={error.code}>
      <span className="msg">
        {error.message}
        <code>{error.code}</code>
      </span>
      {fix && <span className="fix">{fix}</span>}
    </div>
  );
}
