import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream';
import { decodedPath, requestUrl } from './request-url';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Serves the built renderer; unknown paths get index.html so client-side routes survive a reload. */
export function serveStatic(root: string, csp: (req: IncomingMessage) => string) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = requestUrl(req.url);
    const path = url && decodedPath(url);
    if (path === undefined) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Malformed address.');
      return;
    }
    const relative = normalize(path).replace(/^([/\\])+/, '');
    let file = join(root, relative);
    if (!file.startsWith(root + sep) && file !== root) {
      res.writeHead(403).end();
      return;
    }
    if (!isFile(file) || relative === '') file = join(root, 'index.html');
    if (!isFile(file)) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('The renderer is not built: run `npm run web`, which builds it first.');
      return;
    }
    res.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': csp(req),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    // A file that vanishes or fails mid-read ends this response, not the process.
    pipeline(createReadStream(file), res, () => undefined);
  };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
