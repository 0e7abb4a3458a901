/**
 * Labels Berth puts on what it starts. They make the server self-describing: the proxy config, reconciliation and
 * drift reports are derived from them instead of from a second copy of the state on this computer.
 */
export const LABEL = {
  managed: 'berth.managed',
  role: 'berth.role',
  app: 'berth.app',
  deployment: 'berth.deployment',
  /** `user@host` of the Berth that made the deployment. */
  owner: 'berth.owner',
  seq: 'berth.seq',
  slot: 'berth.slot',
  replica: 'berth.replica',
  port: 'berth.port',
  domains: 'berth.domains',
  commit: 'berth.commit',
  healthPath: 'berth.health-path',
  proxySettings: 'berth.proxy-settings',
} as const;

export type Labels = Record<string, string>;

/** Label filters for the Docker API's list calls. */
export function labelFilter(labels: Labels): string[] {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`);
}

export function domainsLabel(domains: readonly string[]): string {
  return domains.join(',');
}

export function parseDomainsLabel(value: string | undefined): string[] {
  return (value ?? '').split(',').filter((d) => d !== '');
}
