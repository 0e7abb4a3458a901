import type { ErrorEnvelope } from '../../../shared/errors';
import { fixFor } from '../lib/errors';

/** An error in words, its code small beside it, and what to do when the sentence does not already say it. */
export function ErrorText({ error, boxed = false }: { error: ErrorEnvelope; boxed?: boolean }) {
  const fix = fixFor(error.code);
  const saysFix = fix !== undefined && error.message.includes(fix.slice(0, 24));
  return (
    <div className={`error-text${boxed ? ' error-box' : ''}`} role="alert" data-code={error.code}>
      <span className="msg">
        {error.message}
        <code>{error.code}</code>
      </span>
      {fix && !saysFix && <span className="fix">{fix}</span>}
    </div>
  );
}
