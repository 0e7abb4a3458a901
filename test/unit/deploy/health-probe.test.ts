import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { probeOnce } from '../../../electron/core/deploy/health-probe';
import type { ServerLink } from '../../../electron/core/ssh/server-link';

const target = { containerId: 'c1', name: 'web-1-0', address: '10.0.0.2', port: 8080 };
const http = { kind: 'http' as const, path: '/health', intervalMs: 500, timeoutMs: 100, retries: 3, startPeriodMs: 0 };

/** A peer that takes the request and answers only what `answer` pushes. */
function peer(): Duplex & { answer(text: string): void } {
  const socket = new Duplex({ read() {}, write(_chunk, _encoding, callback) { callback(); socket.emit('request'); } }) as Duplex & { answer(text: string): void };
  socket.answer = (text) => socket.push(text);
  return socket;
}

function linkWith(forwardOut: () => Promise<Duplex>): ServerLink {
  return { serverId: 's1', remote: true, docker: {} as ServerLink['docker'], exec: () => Promise.reject(new Error('no exec')), forwardOut };
}

describe('a health probe', () => {
  it('closes its tunnel when an app accepts the connection and never answers', async () => {
    const silent = peer();
    const result = await probeOnce(linkWith(async () => silent), target, http);
    expect(result).toEqual({ ok: false, detail: 'no answer within 100 ms' });
    expect(silent.destroyed).toBe(true);
  });

  it('closes a tunnel that opens only after its time is up', async () => {
    const late = peer();
    let opened!: () => void;
    const result = await probeOnce(linkWith(() => new Promise((resolve) => (opened = () => resolve(late)))), target, http);
    expect(result.ok).toBe(false);
    opened();
    await new Promise((r) => setTimeout(r, 10));
    expect(late.destroyed).toBe(true);
  });

  it('reads the status line of an answer and closes the tunnel', async () => {
    const socket = peer();
    socket.once('request', () => socket.answer('HTTP/1.0 204 No Content\r\n\r\n'));
    const result = await probeOnce(linkWith(async () => socket), target, http);
    expect(result).toEqual({ ok: true, detail: 'GET /health → 204' });
    expect(socket.destroyed).toBe(true);
  });
});
