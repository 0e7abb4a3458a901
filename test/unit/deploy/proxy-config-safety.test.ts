import { describe, expect, it } from 'vitest';
import { EdgeProxy } from '../../../electron/core/proxy/edge-proxy';
import { renderHaproxyConfig, type ProxyAppRoute, type ProxyModel } from '../../../electron/core/proxy/haproxy-config';
import type { ServerLink } from '../../../electron/core/ssh/server-link';

const PROBES = { newline: '\nbackend x', cr: '\rx', nul: '\0', quotes: `"'`, hash: '#x', space: ' x' };

const slot = { name: 'a0', host: 'a0.web.berth', port: 8080, state: 'ready' as const };
const standalone: ProxyAppRoute = { app: 'web', domains: ['web.example.com'], servers: [slot] };
const swarm: ProxyAppRoute = { app: 'api', domains: ['api.example.com'], swarm: { host: 'tasks.api', port: 8080, slots: 2, healthPath: '/health' } };
const model = (apps: ProxyAppRoute[]): ProxyModel => ({ listenPort: 8080, apiPort: 9999, apiAllowedSource: '172.31.0.1', apps });

const fields: Array<{ field: string; with: (bad: string) => ProxyModel }> = [
  { field: 'app', with: (bad) => model([{ ...standalone, app: `web${bad}` }]) },
  { field: 'domain', with: (bad) => model([{ ...standalone, domains: [`web${bad}.example.com`] }]) },
  { field: 'server name', with: (bad) => model([{ ...standalone, servers: [{ ...slot, name: `a0${bad}` }] }]) },
  { field: 'host', with: (bad) => model([{ ...standalone, servers: [{ ...slot, host: `a0${bad}.berth` }] }]) },
  { field: 'address', with: (bad) => model([{ ...standalone, servers: [{ ...slot, address: `172.31.0.2${bad}` }] }]) },
  { field: 'health path', with: (bad) => model([{ ...swarm, swarm: { ...swarm.swarm!, healthPath: `/health${bad}` } }]) },
  { field: 'host', with: (bad) => model([{ ...swarm, swarm: { ...swarm.swarm!, host: `tasks.api${bad}` } }]) },
  { field: 'address', with: (bad) => ({ ...model([]), apiAllowedSource: `172.31.0.1${bad}` }) },
];

describe('the edge proxy config writer', () => {
  it('writes a model of safe values', () => {
    expect(renderHaproxyConfig(model([standalone, swarm]))).toContain('option httpchk GET /health');
  });

  describe.each(fields)('the $field', ({ field, with: bad }) => {
    it.each(Object.keys(PROBES) as Array<keyof typeof PROBES>)('is refused with %s in it', (probe) => {
      expect(() => renderHaproxyConfig(bad(PROBES[probe]))).toThrow(
        expect.objectContaining({ code: 'PROXY_FAILED', details: expect.objectContaining({ field }), message: expect.stringMatching(/will not write the edge proxy config/) }),
      );
    });
  });

  it('refuses a port that is not a port', () => {
    expect(() => renderHaproxyConfig(model([{ ...standalone, servers: [{ ...slot, port: 0.5 }] }]))).toThrow(/port/);
  });
});

describe('a new edge proxy', () => {
  it('is not created when its config cannot be written, so no proxy is left without one', async () => {
    let created = 0;
    const rogue = { Labels: { 'berth.managed': 'true', 'berth.role': 'app', 'berth.app': 'rogue', 'berth.slot': 'a', 'berth.port': '8080', 'berth.domains': 'evil.test\n    use_backend x if TRUE' } };
    const docker = {
      getImage: () => ({ inspect: async () => ({ Id: 'sha256:haproxy' }) }),
      listContainers: async () => [rogue],
      createContainer: async () => {
        created++;
        throw new Error('must not be called');
      },
    };
    const link = { serverId: 's1', remote: true, docker, exec: () => Promise.reject(new Error('no exec')), forwardOut: () => Promise.reject(new Error('no tunnel')) } as unknown as ServerLink;
    const proxy = new EdgeProxy(link, { httpPort: 80, image: 'haproxy:2.9-alpine', bindAddress: '0.0.0.0' }, false);
    await expect(proxy.createContainer('berth-proxy', { httpPort: 80, image: 'haproxy:2.9-alpine', bindAddress: '0.0.0.0' }, '172.31.0.1', null, true)).rejects.toMatchObject({
      code: 'PROXY_FAILED',
      details: { app: 'rogue', field: 'domain' },
    });
    expect(created).toBe(0);
  });
});
