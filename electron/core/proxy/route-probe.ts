import type { ServerLink } from '../ssh/server-link';
import { defaultDomain, PROXY_LISTEN_PORT } from './haproxy-config';

/**
 * One request to an app the way its users reach it: through the edge proxy's listener, with the app's host name,
 * sent from the server's side of the link. A health path must answer 2xx/3xx; `/` anything but a proxy error.
 */
export async function probeThroughProxy(link: ServerLink, proxyAddress: string, app: string, path: string, timeoutMs: number): Promise<{ ok: boolean; detail: string }> {
  const socket = await link.forwardOut(proxyAddress, PROXY_LISTEN_PORT);
  return new Promise((resolve) => {
    let head = '';
    const done = (result: { ok: boolean; detail: string }): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ ok: false, detail: `GET ${path}: no answer within ${timeoutMs} ms` }), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      head += chunk;
      const eol = head.indexOf('\r\n');
      if (eol < 0 && head.length < 1024) return;
      const code = Number(/^HTTP\/\d\.\d (\d{3})/.exec(head.slice(0, eol < 0 ? 80 : eol))?.[1]);
      if (!Number.isFinite(code)) return done({ ok: false, detail: `GET ${path}: not an HTTP answer` });
      const ok = path === '/' ? code < 500 : code >= 200 && code < 400;
      done({ ok, detail: `GET ${path} → ${code}` });
    });
    socket.once('error', (error: Error) => done({ ok: false, detail: `GET ${path}: ${error.message}` }));
    socket.once('close', () => done({ ok: false, detail: `GET ${path}: connection closed without an answer` }));
    socket.write(`GET ${path} HTTP/1.0\r\nHost: ${defaultDomain(app)}\r\nUser-Agent: berth-status\r\nConnection: close\r\n\r\n`);
  });
}
