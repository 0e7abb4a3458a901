import type { Deployment } from '../../../shared/api/deployments';

/**
 * Apps whose live release Berth itself is changing now, and how: a deployment or rollback under way (queued included,
 * in this process or another one sharing the home), or a release in its watch window, which reverts it by itself.
 */
export function busyApps(underWay: readonly Deployment[], live: readonly Deployment[], watching: (deploymentId: string) => boolean): Map<string, string> {
  const busy = new Map<string, string>();
  for (const d of [...underWay].sort((a, b) => a.seq - b.seq)) {
    busy.set(d.app, `${d.kind === 'deploy' ? 'deployment' : d.kind} #${d.seq} is ${d.status}`);
  }
  for (const d of live) {
    if (!busy.has(d.app) && watching(d.id)) busy.set(d.app, `#${d.seq} is in its watch window after going live`);
  }
  return busy;
}
