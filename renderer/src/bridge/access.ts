import { AccessVerdict } from '../../../shared/bridge-access';

/**
 * Asks the bridge why its socket would not open. Undefined when the bridge itself does not answer (it is restarting,
 * or stopped): that is a lost connection to retry, not a refusal.
 */
export async function askAccess(url: string): Promise<AccessVerdict | undefined> {
  try {
    const response = await fetch(url, { cache: 'no-store' });
    if (!response.ok) return undefined;
    const verdict = AccessVerdict.safeParse(await response.json());
    return verdict.success ? verdict.data : undefined;
  } catch {
    return undefined;
  }
}
