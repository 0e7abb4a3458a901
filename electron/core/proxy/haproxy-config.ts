import { checkWritable } from './config-values';

/**
 * Renders the edge proxy's haproxy.cfg from a model derived from what runs on the server. Traffic switches never
 * touch this file (they go through the runtime API); it changes only when an app, a route or a slot shape changes.
 */

export type SlotState = 'ready' | 'drain' | 'maint';

export interface ProxySlotServer {
  /** HAProxy server name inside the app's backend, e.g. `a0`. */
  name: string;
  /** Docker DNS name on the Berth network. */
  host: string;
  port: number;
  state: SlotState;
  /** The address the running proxy resolved, so a reloaded one starts with it instead of waiting for DNS. */
  address?: string | undefined;
}

export interface ProxyAppRoute {
  app: string;
  domains: string[];
  /** Standalone: fixed blue/green slots switched through the runtime API. */
  servers?: ProxySlotServer[];
  /** Swarm: the service's tasks, found through DNS (endpoint mode dnsrr). */
  swarm?: { host: string; port: number; slots: number; healthPath: string | null };
}

export interface ProxyModel {
  /** Port HAProxy listens on inside its container; the server publishes it as proxy.httpPort. */
  listenPort: number;
  /** Port of the runtime API relay. */
  apiPort: number;
  /** Only this source (the Berth network's gateway, i.e. the server itself) may use the runtime API. */
  apiAllowedSource: string;
  apps: ProxyAppRoute[];
}

export const PROXY_LISTEN_PORT = 8080;
export const PROXY_API_PORT = 9999;
export const PROXY_CONFIG_DIR = '/usr/local/etc/haproxy';
export const PROXY_CONFIG_PATH = `${PROXY_CONFIG_DIR}/haproxy.cfg`;
const STATS_SOCKET = '/dev/shm/berth-haproxy.sock';

export function backendName(app: string): string {
  return `app_${app}`;
}

/** The default route every app gets, reachable from the server itself and from browsers (`*.localhost`). */
export function defaultDomain(app: string): string {
  return `${app}.localhost`;
}

/** Refuses (PROXY_FAILED) a model holding any value that cannot be written into a config line safely. */
export function renderHaproxyConfig(model: ProxyModel): string {
  checkWritable(model);
  const apps = [...model.apps].sort((a, b) => a.app.localeCompare(b.app));
  const out: string[] = [
    '# Written by Berth. Traffic switches go through the runtime API; edits here are replaced on the next change.',
    'global',
    '    maxconn 4096',
    `    stats socket ${STATS_SOCKET} mode 600 level admin expose-fd listeners`,
    '    stats timeout 30s',
    // a reload's old worker finishes its connections but not for ever
    '    hard-stop-after 30s',
    '',
    'resolvers docker',
    '    nameserver dns1 127.0.0.11:53',
    '    resolve_retries 3',
    '    timeout resolve 500ms',
    '    timeout retry 500ms',
    // a slow or failing DNS answer must not take a running server out: keep the last good address
    '    hold valid 10s',
    '    hold other 30s',
    '    hold refused 30s',
    '    hold timeout 30s',
    '    hold nx 1s',
    '    hold obsolete 1s',
    '    accepted_payload_size 8192',
    '',
    'defaults',
    '    mode http',
    '    timeout connect 3s',
    '    timeout client 60s',
    '    timeout server 60s',
    '    timeout http-keep-alive 10s',
    '    timeout queue 10s',
    '    timeout check 3s',
    '    retries 3',
    '    option redispatch 1',
    '    retry-on conn-failure empty-response',
    '',
    'listen runtime_api',
    '    mode tcp',
    `    bind :${model.apiPort}`,
    `    tcp-request connection reject unless { src ${model.apiAllowedSource} }`,
    `    server api unix@${STATS_SOCKET}`,
    '',
    'frontend http',
    `    bind :${model.listenPort}`,
    // on a reload, idle keep-alive clients get one more answer with "Connection: close" instead of a reset
    '    option idle-close-on-response',
    '    http-request set-var(txn.host) req.hdr(host),field(1,:),lower',
  ];
  for (const app of apps) out.push(...routeLines(app));
  out.push('    default_backend no_app', '');
  out.push(
    'backend no_app',
    '    http-request return status 404 content-type text/plain string "No app is routed for this host.\\n"',
    '',
  );
  for (const app of apps) out.push(...backendLines(app), '');
  return `${out.join('\n')}\n`;
}

function routeLines(app: ProxyAppRoute): string[] {
  const exact = app.domains.filter((d) => !d.startsWith('*.'));
  const wildcard = app.domains.filter((d) => d.startsWith('*.')).map((d) => d.slice(1));
  const lines: string[] = [];
  if (exact.length > 0) lines.push(`    use_backend ${backendName(app.app)} if { var(txn.host) -m str ${exact.join(' ')} }`);
  if (wildcard.length > 0) lines.push(`    use_backend ${backendName(app.app)} if { var(txn.host) -m end ${wildcard.join(' ')} }`);
  return lines;
}

function backendLines(app: ProxyAppRoute): string[] {
  const lines = [`backend ${backendName(app.app)}`, '    balance roundrobin'];
  if (app.swarm) {
    const { host, port, slots, healthPath } = app.swarm;
    if (healthPath !== null) lines.push(`    option httpchk GET ${healthPath}`, '    http-check expect status 200-399');
    lines.push(
      '    default-server init-addr none resolvers docker resolve-prefer ipv4 check inter 1s fastinter 250ms fall 2 rise 1',
      `    server-template t ${slots} ${host}:${port}`,
    );
    return lines;
  }
  // Berth probes each new slot itself before enabling it; HAProxy's TCP check only notices a container that died.
  // A busy server may answer a check late: three misses in a row, each allowed 3 s, before a server counts as down.
  lines.push('    default-server init-addr none resolvers docker resolve-prefer ipv4 check inter 1s fastinter 250ms fall 3 rise 1');
  for (const server of app.servers ?? []) {
    // A reload starts a new worker while the old one finishes its connections, so draining renders as disabled.
    const disabled = server.state === 'ready' ? '' : ' disabled';
    const known = server.address ? ` init-addr ${server.address},none` : '';
    lines.push(`    server ${server.name} ${server.host}:${server.port}${known}${disabled}`);
  }
  return lines;
}

/** `show servers state <backend>` rows: which server is in which admin and operational state. */
export interface ServerStateRow {
  backend: string;
  server: string;
  /** 0 stopped, 1 starting, 2 running (up), 3 stopping. */
  opState: number;
  /** Bit field: 0x01 forced, 0x02 inherited maint (0x04 only records "disabled" in the config); 0x08/0x10 drain; 0x20 no DNS answer. */
  adminState: number;
  address: string;
}

export function parseServersState(text: string): ServerStateRow[] {
  const rows: ServerStateRow[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '' || /^\d+$/.test(line.trim())) continue;
    const f = line.trim().split(/\s+/);
    // be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state ...
    if (f.length < 7) continue;
    rows.push({
      backend: f[1] ?? '',
      server: f[3] ?? '',
      address: f[4] ?? '',
      opState: Number(f[5]),
      adminState: Number(f[6]),
    });
  }
  return rows;
}

/** Reads a row's admin bits back as the state Berth renders. */
export function slotStateOf(row: ServerStateRow): SlotState {
  if (row.adminState & 0x03) return 'maint';
  if (row.adminState & 0x18) return 'drain';
  return 'ready';
}
