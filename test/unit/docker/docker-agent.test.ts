import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BerthError } from '../../../shared/errors';
import { DockerAgent } from '../../../electron/core/ssh/docker-agent';

// A plain HTTP server on a unix socket stands in for the far end of a channel: the agent's logic is what is tested.
let server: Server;
let socketPath: string;
let inFlight = 0;
let peak = 0;

beforeAll(async () => {
  socketPath = join(mkdtempSync(join(tmpdir(), 'berth-agent-')), 'api.sock');
  server = createServer((_req, res) => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    setTimeout(() => {
      inFlight -= 1;
      res.end('OK');
    }, 5);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function get(agent: DockerAgent): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: 'docker', path: '/_ping', agent }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('docker agent', () => {
  it('never opens more streams than its limit, however many requests wait', async () => {
    let opened = 0;
    const agent = new DockerAgent(
      {
        open: async () => {
          opened += 1;
          return connect(socketPath);
        },
        limit: () => 4,
      },
      'test',
    );
    peak = 0;
    const bodies = await Promise.all(Array.from({ length: 100 }, () => get(agent)));
    expect(bodies.every((body) => body === 'OK')).toBe(true);
    expect(opened).toBeLessThanOrEqual(4);
    expect(peak).toBeLessThanOrEqual(4);
    agent.destroy();
  });

  it('reuses an idle stream for the next request', async () => {
    let opened = 0;
    const agent = new DockerAgent({ open: async () => (opened += 1, connect(socketPath)), limit: () => 8 }, 'test');
    await get(agent);
    await get(agent);
    await get(agent);
    expect(opened).toBe(1);
    agent.destroy();
  });

  it('fails the requests queued behind a stream that cannot be opened with its error', async () => {
    const refusal = new BerthError('SSH_DISCONNECTED', 'gone');
    const agent = new DockerAgent({ open: () => new Promise((_resolve, reject) => setTimeout(() => reject(refusal), 10)), limit: () => 1 }, 'test');
    const results = await Promise.allSettled([get(agent), get(agent), get(agent)]);
    expect(results.map((result) => (result.status === 'rejected' ? (result.reason as BerthError).code : 'ok'))).toEqual([
      'SSH_DISCONNECTED',
      'SSH_DISCONNECTED',
      'SSH_DISCONNECTED',
    ]);
  });

  it('inspects as one short line, whatever it holds', () => {
    const agent = new DockerAgent({ open: async () => connect(socketPath), limit: () => 1 }, 's1');
    expect(inspect({ agent }, { depth: null, showHidden: true })).toBe("{ agent: DockerAgent(s1) }");
  });
});
