import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { contract } from '../../../shared/api';
import { closeCode, frame, handshake, openClient, random, rawSocket, startBridgeProcess, type BridgeProcess } from './bridge-harness';

// The bridge of `npm run web` in a process of its own, fed what a broken or hostile client sends. Whatever arrives,
// only the offending connection ends; the process, its memory and the other connections stay as they were.
const seed = Number(process.env.BERTH_FUZZ_SEED ?? Date.now() % 2 ** 31);
const rnd = random(seed);
const methods = [...Object.keys(contract), 'servers.nope', 'constructor', '__proto__', 'toString'];
let bridge: BridgeProcess;
let bystander: WebSocket;
let baselineMb: number;
let peakMb = 0;

function sample(): number {
  const mb = bridge.rssMb();
  peakMb = Math.max(peakMb, mb);
  return mb;
}

let nextId = 1;
/** Sends one call on a well-formed client and waits for its result. */
function call(ws: WebSocket, method: string, input: unknown): Promise<Record<string, unknown>> {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (raw: WebSocket.RawData): void => {
      const message = JSON.parse(raw.toString()) as Record<string, unknown>;
      if (message.t === 'result' && message.id === id) {
        ws.off('message', onMessage);
        resolve(message);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ t: 'call', id, method, input }));
  });
}

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

type Bad = { payload: string | Buffer; binary: boolean; code: number };

/** One malformed message and the close code it must end its connection with. */
function badMessage(): Bad {
  const good = JSON.stringify({ t: 'call', id: rnd.int(1000), method: rnd.pick(methods), input: rnd.json(2) });
  switch (rnd.int(6)) {
    case 0: // cut short: a proper prefix of an object is never JSON
      return { payload: good.slice(0, 1 + rnd.int(good.length - 1)), binary: false, code: 1007 };
    case 1:
      return { payload: `\u0000${rnd.string(60)}`, binary: false, code: 1007 };
    case 2: // JSON, but never a call envelope: random values carry no "t"
      return { payload: JSON.stringify(rnd.json(3)), binary: false, code: 1008 };
    case 3:
      return {
        payload: JSON.stringify(rnd.pick([{ t: 'call', id: -1, method: 'servers.list' }, { t: 'call', id: 1.5, method: 'servers.list' }, { t: 'call', id: 1, method: '' }, { t: 'call', id: '1', method: 'servers.list' }, { t: 'call', id: 1 }, { t: 'result', id: 1, ok: true }])),
        binary: false,
        code: 1008,
      };
    case 4: // invalid UTF-8 in a text frame: a lone continuation byte, an overlong form, a surrogate
      return { payload: Buffer.concat([Buffer.from(rnd.string(10)), Buffer.from(rnd.pick([[0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff]]))]), binary: false, code: 1007 };
    default:
      return { payload: Buffer.from(good), binary: true, code: 1003 };
  }
}

/** One connection: a few valid calls of random methods and inputs, each answered, then one malformed message. */
async function session(): Promise<number> {
  const ws = await openClient(bridge);
  const valid = rnd.int(14);
  const results = await Promise.all(Array.from({ length: valid }, () => call(ws, rnd.pick(methods), rnd.json(3))));
  for (const result of results) expect(typeof result.ok).toBe('boolean');
  const bad = badMessage();
  const code = closed(ws);
  ws.send(bad.payload, { binary: bad.binary });
  expect(await code).toBe(bad.code);
  return valid + 1;
}

beforeAll(async () => {
  console.log(`bridge fuzz seed=${seed} (replay with BERTH_FUZZ_SEED=${seed})`);
  bridge = await startBridgeProcess();
  bystander = await openClient(bridge);
  for (let i = 0; i < 200; i++) await call(bystander, 'servers.list', {});
  baselineMb = sample();
});

afterAll(async () => {
  bystander?.terminate();
  await bridge?.stop();
});

describe('the browser bridge fed bad input', () => {
  it('refuses 100 bad handshakes without a word to the engine', { timeout: 60_000 }, async () => {
    const own = { host: `127.0.0.1:${bridge.port}`, origin: bridge.origin };
    const cases: Array<[string, Record<string, string>, number]> = [
      [`/rpc?token=from-an-earlier-run`, own, 403],
      [`/rpc?token=${bridge.token}`, { origin: 'http://evil.example' }, 403],
      [`/rpc`, own, 403],
      [`/rpc?token=${bridge.token}`, { host: 'rebind.evil.example' }, 403],
      [`/rpc?token=${bridge.token}`, { origin: `http://localhost:${bridge.port + 1}` }, 403],
      [`/elsewhere?token=${bridge.token}`, own, 404],
    ];
    const raw = [
      () => `${rnd.string(200)}\r\n\r\n`,
      () => `GET /rpc?token=${bridge.token} HTTP/1.1\r\nHost: ${own.host}\r\nOrigin: ${own.origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
      () => `GET /%E0%A4%A HTTP/1.1\r\nHost: ${own.host}\r\n\r\n`,
      () => `GET http://[ HTTP/1.1\r\nHost: ${own.host}\r\nOrigin: ${own.origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
    ];
    for (let i = 0; i < 100; i++) {
      const kind = i % (cases.length + raw.length + 1);
      if (kind < cases.length) {
        const [path, headers, status] = cases[kind]!;
        expect(await handshake(bridge, path, headers)).toEqual({ status });
        continue;
      }
      // Raw requests: garbage, a handshake without its key, malformed targets, and one reset the moment it is sent.
      const socket = net.connect(bridge.port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.resume();
      await new Promise((resolve) => socket.once('connect', resolve));
      const done = new Promise((resolve) => socket.once('close', resolve));
      const request = raw[kind - cases.length];
      if (request) socket.end(request());
      else {
        socket.write(`GET /rpc?token=nope HTTP/1.1\r\nHost: ${own.host}\r\nOrigin: ${own.origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${'a'.repeat(22)}==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
        socket.resetAndDestroy();
      }
      await done;
    }
    expect(bridge.alive()).toBe(true);
    expect(await call(bystander, 'servers.list', {})).toMatchObject({ ok: true, value: [] });
    sample();
  });

  it('closes each connection that sends one of 10,000 random and malformed messages, and only that one', { timeout: 300_000 }, async () => {
    let sent = 0;
    const worker = async (): Promise<void> => {
      while (sent < 10_000) sent += await session();
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(bridge.alive()).toBe(true);
    expect(await call(bystander, 'servers.list', {})).toMatchObject({ ok: true, value: [] });
    sample();
  });

  it('closes an oversized message with 1009, even one only announced in a frame header', async () => {
    const ws = await openClient(bridge);
    const code = closed(ws);
    ws.send('x'.repeat(4 * 1024 * 1024 + 1));
    expect(await code).toBe(1009);
    const socket = await rawSocket(bridge);
    const announced = closeCode(socket);
    socket.write(frame(0x1, Buffer.alloc(0), { announcedLength: 2n ** 62n }));
    expect(await announced).toBe(1009);
    socket.destroy();
    expect(await call(bystander, 'servers.list', {})).toMatchObject({ ok: true });
    sample();
  });

  it('closes invalid UTF-8 with 1007, also split across continuation frames', async () => {
    const socket = await rawSocket(bridge);
    const code = closeCode(socket);
    // "é" cut between a text frame and its continuation is valid; a lone 0xC3 at the end of the message is not.
    socket.write(Buffer.concat([frame(0x1, Buffer.from([0x7b, 0xc3]), { fin: false }), frame(0x0, Buffer.from([0xa9, 0xc3]))]));
    expect(await code).toBe(1007);
    socket.destroy();
    expect(bridge.alive()).toBe(true);
  });

  it('drops a client that stops reading instead of buffering its answers', { timeout: 120_000 }, async () => {
    const socket = await rawSocket(bridge);
    socket.pause();
    let gone = false;
    socket.on('error', () => undefined);
    socket.once('close', () => (gone = true));
    const message = frame(0x1, Buffer.from(JSON.stringify({ t: 'call', id: 1, method: 'servers.add', input: {} })));
    let written = 0;
    while (!gone && written < 200 * 1024 * 1024) {
      const batch = Buffer.concat(Array.from({ length: 1000 }, () => message));
      written += batch.length;
      if (!socket.write(batch)) await new Promise((resolve) => setTimeout(resolve, 5));
      if (written % (4 * batch.length) === 0) sample();
    }
    expect(gone).toBe(true);
    console.log(`slow client dropped after ${(written / 1024 / 1024).toFixed(1)} MB of calls`);
    expect(bridge.alive()).toBe(true);
    expect(await call(bystander, 'servers.list', {})).toMatchObject({ ok: true });
  });

  it('keeps its memory bounded and serves a well-formed client after all of it', async () => {
    const fresh = await openClient(bridge);
    expect(await call(fresh, 'servers.list', {})).toMatchObject({ ok: true, value: [] });
    fresh.close();
    const finalMb = sample();
    console.log(`bridge_fuzz_rss_baseline_mb=${baselineMb.toFixed(1)} bridge_fuzz_rss_peak_mb=${peakMb.toFixed(1)} bridge_fuzz_rss_final_mb=${finalMb.toFixed(1)}`);
    expect(peakMb - baselineMb).toBeLessThan(150);
    expect(bridge.alive()).toBe(true);
  });
});
