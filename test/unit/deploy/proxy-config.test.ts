import { describe, expect, it } from 'vitest';
import { parseServersState, renderHaproxyConfig, slotStateOf } from '../../../electron/core/proxy/haproxy-config';
import { deriveRoutes, readShape, renderWithShape, shapeOf, slotHost } from '../../../electron/core/proxy/proxy-model';

const STATE = `1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
5 app_web 1 a0 172.31.0.2 2 4 1 1 6 3 2 6 0 0 0 a0.web.berth 8080 - 0 0 - - 0
5 app_web 2 b0 - 0 37 1 1 1 1 0 0 14 0 0 0 b0.web.berth 8080 - 0 0 - - 0
`;

describe('the edge proxy config', () => {
  it('reads the runtime API server states: ready, maintenance, draining', () => {
    const rows = parseServersState(STATE);
    expect(rows.map((r) => [r.server, r.opState, slotStateOf(r)])).toEqual([
      ['a0', 2, 'ready'],
      ['b0', 0, 'maint'],
    ]);
    expect(slotStateOf({ ...rows[0]!, adminState: 0x08 })).toBe('drain');
  });

  it('routes each app by host name, both slots rendered, the idle one disabled', () => {
    const routes = deriveRoutes(
      [{ app: 'web', slot: 'a', replica: 0, seq: 1, port: 8080, domains: ['web.example.com', '*.web.example.org'] }],
      [],
      parseServersState(STATE),
    );
    const config = renderHaproxyConfig({ listenPort: 8080, apiPort: 9999, apiAllowedSource: '172.31.0.1', apps: routes });
    expect(config).toContain('use_backend app_web if { var(txn.host) -m str web.example.com web.localhost }');
    expect(config).toContain('use_backend app_web if { var(txn.host) -m end .web.example.org }');
    // the address the running proxy knows goes in, so a reloaded proxy does not wait for DNS
    expect(config).toContain(`server a0 ${slotHost('web', 'a', 0)}:8080 init-addr 172.31.0.2,none\n`);
    expect(config).toContain(`server b0 ${slotHost('web', 'b', 0)}:8080 disabled`);
    expect(config).toContain('tcp-request connection reject unless { src 172.31.0.1 }');
  });

  it('keeps the same shape when only states change, so a switch never reloads', () => {
    const base = { listenPort: 8080, apiPort: 9999, apiAllowedSource: '172.31.0.1' };
    const containers = [
      { app: 'web', slot: 'a', replica: 0, seq: 1, port: 8080, domains: [] },
      { app: 'web', slot: 'b', replica: 0, seq: 2, port: 8080, domains: [] },
    ];
    const before = { ...base, apps: deriveRoutes(containers.slice(0, 1), [], parseServersState(STATE)) };
    const after = { ...base, apps: deriveRoutes(containers, [], []) };
    expect(shapeOf(before)).toBe(shapeOf(after));
    expect(readShape(renderWithShape(after))).toBe(shapeOf(after));
    const wider = { ...base, apps: deriveRoutes([...containers, { app: 'web', slot: 'b', replica: 1, seq: 2, port: 8080, domains: [] }], [], []) };
    expect(shapeOf(wider)).not.toBe(shapeOf(after));
  });

  it('routes the newest running slot again on a proxy created afresh', () => {
    const containers = [
      { app: 'web', slot: 'a', replica: 0, seq: 1, port: 8080, domains: [] },
      { app: 'web', slot: 'b', replica: 0, seq: 2, port: 8080, domains: [] },
    ];
    const states = (restore: boolean) => deriveRoutes(containers, [], [], restore)[0]?.servers?.map((s) => `${s.name}:${s.state}`);
    expect(states(true)).toEqual(['a0:maint', 'b0:ready']);
    expect(states(false)).toEqual(['a0:maint', 'b0:maint']);
  });

  it('resolves Swarm tasks through DNS with room for start-first', () => {
    const routes = deriveRoutes([], [{ app: 'api', port: 3000, domains: [], replicas: 2, healthPath: '/up' }], []);
    const config = renderHaproxyConfig({ listenPort: 8080, apiPort: 9999, apiAllowedSource: '10.0.0.1', apps: routes });
    expect(config).toContain('server-template t 4 tasks.api:3000');
    expect(config).toContain('option httpchk GET /up');
  });
});
