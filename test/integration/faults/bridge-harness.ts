import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface BridgeProcess {
  child: ChildProcess;
  port: number;
  token: string;
  origin: string;
  /** Resident memory of the bridge process, in MB, from /proc. */
  rssMb(): number;
  alive(): boolean;
  stop(): Promise<void>;
}

/** `npm run web`'s entry point (without the renderer build) in a process of its own, on a temporary home. */
export async function startBridgeProcess(): Promise<BridgeProcess> {
  const home = mkdtempSync(join(tmpdir(), 'berth-bridge-fuzz-'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'electron', 'web', 'main.ts')], {
    cwd: root,
    env: { ...process.env, BERTH_HOME: home, BERTH_WEB_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<URL>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Berth is running at (\S+)/.exec(out);
      if (match) resolve(new URL(match[1]!));
    });
    child.once('exit', (code) => reject(new Error(`the bridge exited with ${code} before printing its address:\n${stderr}`)));
  });
  const port = Number(url.port);
  return {
    child,
    port,
    token: url.searchParams.get('token')!,
    origin: `http://127.0.0.1:${port}`,
    rssMb: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export type Refusal = { status: number } | { opened: true };

/** Tries a WebSocket handshake and reports the HTTP status it was refused with (or that it opened). */
export function handshake(bridge: BridgeProcess, path: string, headers: Record<string, string>): Promise<Refusal> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}${path}`, { headers });
    ws.once('open', () => {
      ws.terminate();
      resolve({ opened: true });
    });
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    ws.once('error', reject);
  });
}

/** A well-formed client, as the page opens it. */
export function openClient(bridge: BridgeProcess): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/rpc?token=${bridge.token}`, { origin: bridge.origin });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** One masked client frame, written by hand: the ws client refuses to send most of what a fuzzer needs. */
export function frame(opcode: number, payload: Buffer, options: { announcedLength?: bigint; fin?: boolean } = {}): Buffer {
  const length = options.announcedLength ?? BigInt(payload.length);
  const first = (options.fin === false ? 0 : 0x80) | opcode;
  let header: Buffer;
  if (length < 126n) {
    header = Buffer.from([first, 0x80 | Number(length)]);
  } else if (length < 65536n) {
    header = Buffer.alloc(4);
    header.writeUInt8(first, 0);
    header.writeUInt8(0x80 | 126, 1);
    header.writeUInt16BE(Number(length), 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(first, 0);
    header.writeUInt8(0x80 | 127, 1);
    header.writeBigUInt64BE(length, 2);
  }
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!;
  return Buffer.concat([header, mask, body]);
}

/** A raw TCP connection that completed the WebSocket handshake; the caller writes frames and reads bytes. */
export function rawSocket(bridge: BridgeProcess): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(bridge.port, '127.0.0.1', () => {
      socket.write(
        `GET /rpc?token=${bridge.token} HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nOrigin: ${bridge.origin}\r\n` +
          `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
          'Sec-WebSocket-Version: 13\r\n\r\n',
      );
    });
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      if (!head.subarray(0, end).toString().startsWith('HTTP/1.1 101')) reject(new Error(`handshake refused: ${head.subarray(0, end).toString()}`));
      else {
        const rest = head.subarray(end + 4);
        if (rest.length > 0) socket.unshift(rest);
        resolve(socket);
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

/** The close code of the first close frame the server sends on a raw socket. */
export function closeCode(socket: net.Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      // Server frames are unmasked; skip any that are not a close frame.
      while (buffered.length >= 2) {
        const opcode = buffered[0]! & 0x0f;
        let length = buffered[1]! & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffered.length < 4) return;
          length = buffered.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffered.length < 10) return;
          length = Number(buffered.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffered.length < offset + length) return;
        if (opcode === 0x8) {
          resolve(length >= 2 ? buffered.readUInt16BE(offset) : 1005);
          return;
        }
        buffered = buffered.subarray(offset + length);
      }
    });
    socket.once('close', () => resolve(1006));
    socket.once('error', reject);
  });
}

/** A small seeded generator, so a failing run can be replayed from the seed it printed. */
export function random(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const string = (max: number): string => {
    let s = '';
    const n = int(max);
    for (let i = 0; i < n; i++) s += String.fromCodePoint(pick([int(128), 0x20 + int(95), 0xa0 + int(0x2000), 0x1f600 + int(80)]));
    return s;
  };
  const json = (depth: number): unknown => {
    const kind = int(depth > 0 ? 8 : 5);
    if (kind === 0) return null;
    if (kind === 1) return next() < 0.5;
    if (kind === 2) return pick([0, -1, 1.5, 2 ** 53, -(2 ** 60), 1e308, int(1000)]);
    if (kind === 3 || kind === 4) return string(40);
    if (kind === 5) return Array.from({ length: int(5) }, () => json(depth - 1));
    return Object.fromEntries(Array.from({ length: int(5) }, () => [pick(['serverId', 'app', 'name', 'id', '__proto__', 'constructor', string(10)]), json(depth - 1)]));
  };
  return { next, int, pick, string, json };
}
