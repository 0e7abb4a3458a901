import { mkdtempSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EventBus } from '../../../electron/core/events/event-bus';
import { Dispatcher, type Handlers } from '../../../electron/core/rpc/dispatcher';
import { startBridge, type Bridge } from '../../../electron/web/bridge-server';
import { MAX_CALLS_IN_FLIGHT } from '../../../electron/web/frames';

let bridge: Bridge;
const bus = new EventBus();

beforeAll(async () => {
  const rendererDir = mkdtempSync(join(tmpdir(), 'berth-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Berth</title>');
  const handlers = { 'servers.list': async () => [] } as unknown as Handlers;
  bridge = await startBridge({ engine: { dispatcher: new Dispatcher(handlers), bus }, rendererDir });
});

afterAll(() => bridge.close());

function open(token: string, origin: string, host?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/rpc?token=${token}`, { origin, headers: host ? { host } : {} });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

const ownOrigin = () => `http://127.0.0.1:${bridge.port}`;

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

function nextMessage(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => ws.once('message', (raw) => resolve(JSON.parse(raw.toString()))));
}

describe('the browser bridge', () => {
  it('listens on loopback only and prints a URL carrying its token', () => {
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}/?token=${bridge.token}`);
    expect(bridge.token.length).toBeGreaterThanOrEqual(24);
  });

  it('serves the renderer with a strict content security policy', async () => {
    const response = await fetch(`http://127.0.0.1:${bridge.port}/`);
    expect(await response.text()).toContain('<title>Berth</title>');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('refuses a socket with a wrong token', async () => {
    await expect(open('not-the-token', ownOrigin())).rejects.toThrow('refused with 403');
  });

  it('refuses a socket opened from another origin', async () => {
    await expect(open(bridge.token, 'http://evil.example')).rejects.toThrow('refused with 403');
  });

  it('answers calls in the shared envelope, including coded errors', async () => {
    const ws = await open(bridge.token, ownOrigin());
    ws.send(JSON.stringify({ t: 'call', id: 1, method: 'servers.list', input: {} }));
    expect(await nextMessage(ws)).toEqual({ t: 'result', id: 1, ok: true, value: [] });
    ws.send(JSON.stringify({ t: 'call', id: 2, method: 'servers.nope', input: {} }));
    expect(await nextMessage(ws)).toMatchObject({ t: 'result', id: 2, ok: false, error: { code: 'UNKNOWN_METHOD' } });
    ws.close();
  });

  it('pushes engine events to connected clients', async () => {
    const ws = await open(bridge.token, ownOrigin());
    const message = nextMessage(ws);
    bus.emit('servers.changed', { serverId: 's1' });
    expect(await message).toEqual({ t: 'event', topic: 'servers.changed', data: { serverId: 's1' } });
    ws.close();
  });

  it('accepts the page through a port forwarded with ssh -L, which makes it localhost on another port', async () => {
    const ws = await open(bridge.token, 'http://localhost:8080', 'localhost:8080');
    ws.send(JSON.stringify({ t: 'call', id: 1, method: 'servers.list', input: {} }));
    expect(await nextMessage(ws)).toMatchObject({ ok: true, value: [] });
    ws.close();
  });

  it('refuses a socket whose Host is not a loopback name, as a DNS-rebinding page sends', async () => {
    await expect(open(bridge.token, 'http://rebind.example:8080', 'rebind.example:8080')).rejects.toThrow('refused with 403');
  });

  it('tells the page why it is refused, so it can explain instead of showing a lost connection', async () => {
    const stale = await fetch(`http://127.0.0.1:${bridge.port}/access?token=from-an-earlier-run`);
    expect(await stale.json()).toMatchObject({ access: 'refused', reason: 'wrong-token' });
    const none = await fetch(`http://127.0.0.1:${bridge.port}/access`);
    expect(await none.json()).toMatchObject({ access: 'refused', reason: 'no-token' });
    const good = await fetch(`http://127.0.0.1:${bridge.port}/access?token=${bridge.token}`);
    expect(await good.json()).toEqual({ access: 'granted' });
  });

  it('lets the page open its socket to the address it was loaded from', async () => {
    // fetch() may not set Host; a plain request may, as a browser behind a forwarded port does.
    const csp = await new Promise<string | string[] | undefined>((resolve, reject) => {
      get({ host: '127.0.0.1', port: bridge.port, path: '/', headers: { host: 'localhost:8080' } }, (res) => {
        res.resume();
        resolve(res.headers['content-security-policy']);
      }).on('error', reject);
    });
    expect(csp).toContain("connect-src 'self' ws://localhost:8080");
  });

  it('closes only the connection that sends a malformed message, with a code saying why', async () => {
    const bystander = await open(bridge.token, ownOrigin());
    const offenders: Array<[string | Buffer, boolean, number]> = [
      ['{"t":', false, 1007],
      ['{"t":"call"}', false, 1008],
      [Buffer.from([0xff, 0xfe, 0xfd]), false, 1007],
      [Buffer.from('{}'), true, 1003],
      ['x'.repeat(4 * 1024 * 1024 + 1), false, 1009],
    ];
    for (const [payload, binary, code] of offenders) {
      const ws = await open(bridge.token, ownOrigin());
      const done = closed(ws);
      ws.send(payload, { binary });
      expect(await done).toBe(code);
    }
    bystander.send(JSON.stringify({ t: 'call', id: 9, method: 'servers.list', input: {} }));
    expect(await nextMessage(bystander)).toMatchObject({ id: 9, ok: true });
    bystander.close();
  });

  it('answers a malformed address with 400 and goes on serving', async () => {
    expect((await fetch(`http://127.0.0.1:${bridge.port}/%E0%A4%A`)).status).toBe(400);
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(bridge.port, '127.0.0.1', () => socket.end('GET http://[ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(`http://127.0.0.1:${bridge.port}/`)).status).toBe(200);
  });

  it('stops reading from a client that keeps more calls waiting than the window ever does, and goes on once they end', async () => {
    const waiting: Array<() => void> = [];
    const handlers = { 'servers.list': () => new Promise<never[]>((resolve) => waiting.push(() => resolve([]))) } as unknown as Handlers;
    const busy = await startBridge({ engine: { dispatcher: new Dispatcher(handlers), bus: new EventBus() }, rendererDir: mkdtempSync(join(tmpdir(), 'berth-renderer-')) });
    const ws = await new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${busy.port}/rpc?token=${busy.token}`, { origin: `http://127.0.0.1:${busy.port}` });
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    });
    const total = 5000;
    const answered = new Set<number>();
    ws.on('message', (raw) => answered.add((JSON.parse(raw.toString()) as { id: number }).id));
    for (let id = 1; id <= total; id++) ws.send(JSON.stringify({ t: 'call', id, method: 'servers.list', input: {} }));
    await expect.poll(() => waiting.length).toBeGreaterThanOrEqual(MAX_CALLS_IN_FLIGHT);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(waiting.length).toBeLessThan(total);
    const release = setInterval(() => waiting.splice(0).forEach((done) => done()), 5);
    await expect.poll(() => answered.size, { timeout: 10_000 }).toBe(total);
    clearInterval(release);
    ws.close();
    await busy.close();
  });
});
