import { describe, expect, it } from 'vitest';
import { renderHaproxyConfig, type ProxyAppRoute, type ProxyModel } from '../../../electron/core/proxy/haproxy-config';

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
