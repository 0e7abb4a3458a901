import type { Deployment } from '../../../shared/api/deployments';
import { deployment } from '../deploy/fixtures';

export { deployment, runtimeSnapshot } from '../deploy/fixtures';

/** A release of app "web" that went live at minute `seq` (unless told otherwise), with image `img<seq>`. */
export function release(seq: number, over: Partial<Deployment> = {}): Deployment {
  const minute = String(seq).padStart(2, '0');
  return deployment({
    id: `web-${seq}`,
    seq,
    status: 'superseded',
    timestamps: { queued: `2026-01-01T00:${minute}:00.000Z`, live: `2026-01-01T00:${minute}:30.000Z` },
    image: { tag: `web:${seq}`, id: `sha256:img${seq}`, digest: null },
    ...over,
  });
}
