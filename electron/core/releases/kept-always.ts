import type { Deployment } from '../../../shared/api/deployments';
import { isInProgress } from '../deploy/state-machine';

/**
 * The one rule every retention decision starts from, for records and images alike: a release that is live, a
 * deployment still running, and a pinned release never go, whatever the count or age limits say.
 */
export function keptAlways(d: Deployment): string | null {
  if (d.status === 'live') return `live (#${d.seq})`;
  if (isInProgress(d.status)) return `#${d.seq} is ${d.status}`;
  if (d.pinned) return `pinned (#${d.seq})`;
  return null;
}
