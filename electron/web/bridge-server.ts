import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { CallMessage, type EventMessage, type ResultMessage } from '../../shared/rpc';
import type { Engine } from '../core/engine';
import type { CallContext } from '../core/rpc/dispatcher';
import { serveStatic } from './static-files';

export interface BridgeOptions {
  engine: Pick<Engine, 'dispatcher' | 'bus'>;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  port?: number;
  /** Fixed token for tests; a random one per run otherwise. */
  token?: string;
}

export interface Bridge {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * Serves the renderer to a browser and speaks the same call/event envelope as the Electron IPC channels over a
 * WebSocket. It listens on 127.0.0.1 only; a socket must come from the page's own origin and carry the per-run
 * token, because anything that reaches this socket can deploy to the user's servers.
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const http: Server = createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');

  http.on('request', serveStatic(options.rendererDir, csp));
  http.on('upgrade', (req, socket, head) => {
    if (!isAllowed(req, origins, token)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveClient(ws, options.engine));
  });

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function isAllowed(req: IncomingMessage, origins: Set<string>, token: string): boolean {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== '/rpc') return false;
  if (!origins.has(req.headers.origin ?? '')) return false;
  const given = Buffer.from(url.searchParams.get('token') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function serveClient(ws: WebSocket, engine: Pick<Engine, 'dispatcher' | 'bus'>): void {
  const abort = new AbortController();
  const send = (message: ResultMessage | EventMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const ctx: CallContext = {
    clientId: randomUUID(),
    signal: abort.signal,
    emit: (topic, data) => send({ t: 'event', topic, data }),
  };
  const stopForwarding = engine.bus.onAny((topic, data) => send({ t: 'event', topic, data }));

  ws.on('message', async (raw) => {
    let message: CallMessage;
    try {
      message = CallMessage.parse(JSON.parse(raw.toString()));
    } catch {
      ws.close(1008, 'malformed message');
      return;
    }
    const outcome = await engine.dispatcher.call(message.method, message.input, ctx);
    send({ t: 'result', id: message.id, ...outcome });
  });
  ws.on('close', () => {
    stopForwarding();
    abort.abort();
  });
}
