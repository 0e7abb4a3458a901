import { describe, expect, it } from 'vitest';
import type { EdgeProxySettings } from '../../../shared/api/servers';
import type { AppFact, HealthFacts, ProxyContainerFact } from '../../../electron/core/servers/health-facts';
import { judgeHealth } from '../../../electron/core/servers/health-verdict';
import { parseSettingsLabel, settingsLabel } from '../../../electron/core/proxy/proxy-settings';

const settings: EdgeProxySettings = { httpPort: 80, image: 'haproxy:2.9-alpine', bindAddress: '0.0.0.0' };
const container: ProxyContainerFact = { running: true, status: 'running', exitCode: 0, restartPolicy: 'always', settings };
const liveWeb: AppFact = {
  app: 'web',
  live: { deploymentId: 'd7', seq: 7, routed: true, expected: 1, healthPath: '/health' },
  running: 1,
  probe: { ok: true, detail: 'GET /health → 200' },
};

function facts(patch: Partial<HealthFacts> = {}): HealthFacts {
  return {
    serverId: 'prod',
    serverName: 'prod',
    local: false,
    ssh: { ok: true },
    docker: { ok: true },
    proxy: { container, api: { ok: true } },
    mine: settings,
    apps: [liveWeb],
    checkedAt: '2026-12-01T00:00:00.000Z',
    ...patch,
  };
}

describe('a server whose parts all answer', () => {
  it('is ok, with every part ok', () => {
    const health = judgeHealth(facts());
    expect(health.ok).toBe(true);
    expect([health.ssh.state, health.docker.state, health.proxy.state, health.apps[0]?.state]).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(health.apps[0]?.detail).toBe('#7: 1/1 running, answers through the edge proxy (GET /health → 200)');
  });
});

describe('a server whose Docker does not answer', () => {
  const health = judgeHealth(facts({ docker: { ok: false, error: { code: 'DOCKER_DAEMON_DOWN', message: 'no daemon on /var/run/docker.sock' } }, proxy: undefined, apps: [{ ...liveWeb, running: undefined, probe: undefined }] }));

  it('is down, naming Docker and how to start it', () => {
    expect(health.ok).toBe(false);
    expect(health.docker).toMatchObject({ state: 'down', code: 'DOCKER_DAEMON_DOWN' });
    expect(health.docker.fix).toContain('Start the Docker daemon');
  });

  it('never calls the app live-and-answering: it is unchecked', () => {
    expect(health.apps[0]).toMatchObject({ state: 'unchecked', seq: 7 });
    expect(health.proxy.state).toBe('unchecked');
  });
});

describe('a server that SSH cannot reach', () => {
  it('is down at SSH and checks nothing below it', () => {
    const health = judgeHealth(facts({ ssh: { ok: false, error: { code: 'CONNECTION_REFUSED', message: 'refused' } }, docker: undefined, proxy: undefined, apps: [{ ...liveWeb, running: undefined, probe: undefined }] }));
    expect(health.ssh.state).toBe('down');
    expect([health.docker.state, health.proxy.state, health.apps[0]?.state]).toEqual(['unchecked', 'unchecked', 'unchecked']);
  });
});

describe('the edge proxy', () => {
  it('is down when its container stopped, and so is every routed app', () => {
    const health = judgeHealth(facts({ proxy: { container: { ...container, running: false, status: 'exited', exitCode: 137 }, api: null }, apps: [{ ...liveWeb, probe: null }] }));
    expect(health.proxy.state).toBe('down');
    expect(health.proxy.detail).toContain('exited (exit code 137)');
    expect(health.apps[0]).toMatchObject({ state: 'down', detail: '#7: 1/1 running, but no traffic reaches it: the edge proxy is down' });
  });

  it('is down when it runs but its API does not answer', () => {
    const health = judgeHealth(facts({ proxy: { container, api: { ok: false, error: { code: 'PROXY_FAILED', message: 'timeout' } } } }));
    expect(health.proxy).toMatchObject({ state: 'down', code: 'PROXY_FAILED' });
  });

  it('is missing without harm while no app is routed', () => {
    expect(judgeHealth(facts({ proxy: { container: null, api: null }, apps: [] })).proxy.state).toBe('ok');
  });

  it('is down when missing while an app is routed', () => {
    expect(judgeHealth(facts({ proxy: { container: null, api: null }, apps: [{ ...liveWeb, probe: null }] })).proxy.state).toBe('down');
  });

  it('warns when it would not come back after Docker restarts', () => {
    // unless-stopped too: Docker 20.10 takes a reload's SIGUSR2 for a manual stop
    const health = judgeHealth(facts({ proxy: { container: { ...container, restartPolicy: 'unless-stopped' }, api: { ok: true } } }));
    expect(health.proxy.state).toBe('warning');
    expect(health.ok).toBe(true);
  });
});

describe('proxy settings that differ from this Berth entry', () => {
  const health = judgeHealth(facts({ mine: { ...settings, httpPort: 8080, image: 'haproxy:3' } }));

  it('lists the differing fields, with the server as the truth', () => {
    expect(health.proxySettings).toEqual({ onServer: settings, mine: { ...settings, httpPort: 8080, image: 'haproxy:3' }, differs: ['httpPort', 'image'] });
  });

  it('is a warning that names the explicit action, not a failure', () => {
    expect(health.proxy.state).toBe('warning');
    expect(health.proxy.fix).toContain('berth server proxy apply prod');
    expect(health.ok).toBe(true);
  });
});

describe('an app', () => {
  it('is down when none of its live release runs, naming what runs instead', () => {
    const health = judgeHealth(facts({ apps: [{ ...liveWeb, running: 0, other: 'd9', probe: null }] }));
    expect(health.apps[0]).toMatchObject({ state: 'down', running: 0, expected: 1 });
    expect(health.apps[0]?.detail).toContain('deployment d9 runs instead');
  });

  it('is down when it runs but does not answer through the proxy', () => {
    const health = judgeHealth(facts({ apps: [{ ...liveWeb, probe: { ok: false, detail: 'GET /health → 503' } }] }));
    expect(health.apps[0]?.state).toBe('down');
    expect(health.ok).toBe(false);
  });

  it('is down with the exit code of a container killed by hand', () => {
    const health = judgeHealth(facts({ apps: [{ ...liveWeb, running: 0, probe: null, stopped: [{ name: 'web-7-a-0', exitCode: 137, oomKilled: false, restarting: false, error: '' }] }] }));
    expect(health.apps[0]).toMatchObject({ state: 'down', reason: 'exited with code 137' });
    expect(health.apps[0]?.detail).toContain('(exited with code 137)');
  });

  it('names an OOM kill with the memory limit, from Docker or from the oom event', () => {
    const live = { ...liveWeb.live!, memoryMb: 64 };
    const stopped = [{ name: 'web-7-a-0', exitCode: 137, oomKilled: true, restarting: false, error: '' }];
    expect(judgeHealth(facts({ apps: [{ ...liveWeb, live, running: 0, probe: null, stopped }] })).apps[0]?.reason).toBe('OOM-killed (memory limit 64 MB)');
    const exits = [{ name: 'web-7-a-0', exitCode: 137, oom: true, at: '2026-12-01T00:00:00.000Z' }];
    expect(judgeHealth(facts({ apps: [{ ...liveWeb, live, running: 0, probe: null, stopped: [], exits }] })).apps[0]?.reason).toBe('OOM-killed (memory limit 64 MB)');
  });

  it('reads the exit code of a failed Swarm task', () => {
    expect(judgeHealth(facts({ apps: [{ ...liveWeb, running: 0, probe: null, taskError: 'task: non-zero exit (137)' }] })).apps[0]?.reason).toBe('exited with code 137');
  });

  it('says its health check fails when it does not answer through the proxy, and that the proxy is down when it is', () => {
    expect(judgeHealth(facts({ apps: [{ ...liveWeb, probe: { ok: false, detail: 'GET /health → 503' } }] })).apps[0]?.reason).toBe('health check failing (GET /health → 503)');
    const proxyDown = judgeHealth(facts({ proxy: { container: { ...container, running: false, status: 'exited', exitCode: 137 }, api: null }, apps: [{ ...liveWeb, probe: null }] }));
    expect(proxyDown.apps[0]).toMatchObject({ state: 'down', reason: 'edge proxy down' });
  });

  it('is a warning, not down, while a deployment of it is under way', () => {
    const health = judgeHealth(facts({ apps: [{ ...liveWeb, running: 0, probe: null, stopped: [], busy: 'deployment #8 is starting' }] }));
    expect(health.apps[0]).toMatchObject({ state: 'warning', reason: 'its containers are gone' });
    expect(health.apps[0]?.detail).toContain('while deployment #8 is starting: not counted as down');
    expect(health.ok).toBe(true);
  });

  it('without a live release is left unchecked, not down', () => {
    const health = judgeHealth(facts({ apps: [{ app: 'new', live: null }] }));
    expect(health.apps[0]).toMatchObject({ state: 'unchecked', detail: 'no live release' });
    expect(health.ok).toBe(true);
  });
});

describe("the proxy settings label", () => {
  it('reads back what it wrote', () => {
    expect(parseSettingsLabel(settingsLabel(settings, true))).toEqual(settings);
  });

  it('is null when it is not Berth JSON', () => {
    expect(parseSettingsLabel('{oops')).toBeNull();
    expect(parseSettingsLabel(undefined)).toBeNull();
  });
});
