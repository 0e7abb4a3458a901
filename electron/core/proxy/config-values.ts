import { BerthError } from '../../../shared/errors';
import { configWord, healthPath, type SafetyCheck } from '../../../shared/safe-input';
import type { ProxyAppRoute, ProxyModel } from './haproxy-config';

/**
 * The last check before a value is written into haproxy.cfg. The model comes from labels on the server, which any
 * other tool (or an older Berth) may have set, so the contract's checks are not enough: a value that could break a
 * config line or add one is refused, and the config on the server stays as it was.
 */
const rules: Record<string, SafetyCheck> = {
  app: (v) => (/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(v) ? null : 'is not an app name'),
  domain: (v) => configWord(v) ?? (/^(\*\.)?[a-z0-9.-]+$/.test(v) ? null : 'is not a host name'),
  'health path': healthPath,
  'server name': (v) => (/^[a-z0-9]+$/.test(v) ? null : 'is not a server name'),
  host: (v) => (/^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/.test(v) ? null : 'is not a DNS name'),
  address: (v) => (/^\d{1,3}(\.\d{1,3}){3}$/.test(v) ? null : 'is not an IPv4 address'),
};

function refuse(app: string | null, field: string, value: unknown, why: string): never {
  const owner = app === null ? 'the proxy settings' : `app ${JSON.stringify(app)}`;
  throw new BerthError(
    'PROXY_FAILED',
    `Berth will not write the edge proxy config: the ${field} of ${owner} (${JSON.stringify(value)}) ${why}. The running config is unchanged; fix the app's settings, or remove the container or service that carries this value in its berth.* labels.`,
    { app, field },
  );
}

function word(app: string | null, field: string, value: string): void {
  const why = rules[field]?.(value) ?? null;
  if (why !== null) refuse(app, field, value, why);
}

function port(app: string | null, field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 65535) refuse(app, field, value, 'is not a port number');
}

function checkRoute(route: ProxyAppRoute): void {
  const app = route.app;
  word(null, 'app', app);
  for (const domain of route.domains) word(app, 'domain', domain);
  for (const server of route.servers ?? []) {
    word(app, 'server name', server.name);
    word(app, 'host', server.host);
    port(app, 'port', server.port);
    if (server.address !== undefined) word(app, 'address', server.address);
  }
  if (route.swarm) {
    word(app, 'host', route.swarm.host);
    port(app, 'port', route.swarm.port);
    if (!Number.isInteger(route.swarm.slots) || route.swarm.slots < 1 || route.swarm.slots > 1024) refuse(app, 'slots', route.swarm.slots, 'is not a slot count');
    if (route.swarm.healthPath !== null) word(app, 'health path', route.swarm.healthPath);
  }
}

/** Throws PROXY_FAILED naming the first value of the model that cannot be written into a config line safely. */
export function checkWritable(model: ProxyModel): void {
  port(null, 'listen port', model.listenPort);
  port(null, 'API port', model.apiPort);
  word(null, 'address', model.apiAllowedSource);
  for (const route of model.apps) checkRoute(route);
}
