import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { ACCESS_PATH } from '../../shared/bridge-access';
import type { Engine } from '../core/engine';
import { checkAccess, loopbackOrigin } from './access-check';
import { serveClient } from './client-socket';
import { requestUrl } from './request-url';
import { MAX_MESSAGE_BYTES } from './frames';
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

/**
 * Serves the renderer to a browser and speaks the same call/event envelope as the Electron IPC channels over a
 * WebSocket. It listens on 127.0.0.1 only; a socket must carry the per-run token and come from Berth's own page on a
 * loopback address (access-check.ts), because anything that reaches this socket can deploy to the user's servers.
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
  const files = serveStatic(options.rendererDir, contentSecurityPolicy);

  http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = requestUrl(req.url);
    if (url?.pathname !== ACCESS_PATH) {
      files(req, res);
      return;
    }
    const verdict = checkAccess({ host: req.headers.host, token: url.searchParams.get('token') }, token);
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(JSON.stringify(verdict));
  });
  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    // A client that resets mid-handshake must not take the process down with an unhandled socket error.
    socket.on('error', () => socket.destroy());
    const url = requestUrl(req.url);
    if (url?.pathname !== '/rpc') {
      refuse(socket, '404 Not Found', '');
      return;
    }
    const verdict = checkAccess({ host: req.headers.host, origin: req.headers.origin ?? '', token: url.searchParams.get('token') }, token);
    if (verdict.access === 'refused') {
      refuse(socket, '403 Forbidden', JSON.stringify(verdict));
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

function refuse(socket: Socket, status: string, body: string): void {
  const type = body ? 'Content-Type: application/json\r\n' : '';
  socket.end(`HTTP/1.1 ${status}\r\n${type}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** The page may open its socket only to the address it was loaded from (through `ssh -L`, a forwarded port). */
function contentSecurityPolicy(req: IncomingMessage): string {
  const origin = loopbackOrigin(req.headers.host);
  const socket = origin ? ` ${origin.replace(/^http:/, 'ws:')}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self'${socket}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}
