import type { Deployment } from '../../../shared/api/deployments';

/** The deployment serving traffic for each app, from a newest-first list. */
export function liveByApp(list: readonly Deployment[]): Map<string, Deployment> {
  const live = new Map<string, Deployment>();
  for (const d of list) if (d.status === 'live' && !live.has(d.app)) live.set(d.app, d);
  return live;
}

export function liveOf(list: readonly Deployment[]): Deployment | undefined {
  return list.find((d) => d.status === 'live');
}
