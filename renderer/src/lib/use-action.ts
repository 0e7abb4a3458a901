import { useState } from 'react';
import type { ErrorEnvelope } from '../../../shared/errors';
import { toError } from './errors';

/** A button's one action: busy while it runs (the button disables), its error kept until the next try. */
export function useAction(work: () => Promise<unknown>): { busy: boolean; error: ErrorEnvelope | undefined; run: () => Promise<void> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorEnvelope>();
  const run = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (e) {
      setError(toError(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}
