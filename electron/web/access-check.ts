import { timingSafeEqual } from 'node:crypto';
import type { AccessVerdict } from '../../shared/bridge-access';

/**
 * Who may drive the engine through the bridge. Anything that reaches the socket can deploy to the user's servers,
 * so a socket needs the per-run token, a loopback Host (a DNS-rebinding page names its own host), and an Origin equal
 * to that Host (another page on this machine has another origin). The port is not checked: `ssh -L 8080:127.0.0.1:N`
 * makes the page http://localhost:8080, which is as local as the bridge's own address.
 */
export interface AccessRequest {
  /** The request's Host header. */
  host: string | undefined;
  /** The request's Origin header; browsers always send one with a WebSocket upgrade. */
  origin?: string | undefined;
  /** The token given in the query string. */
  token: string | null;
}

const LOOPBACK_NAMES = new Set(['localhost', '[::1]']);

/** The origin a loopback Host stands for (`http://localhost:8080`), or undefined for any other Host. */
export function loopbackOrigin(host: string | undefined): string | undefined {
  if (!host) return undefined;
  let url: URL;
  try {
    url = new URL(`http://${host}`);
  } catch {
    return undefined;
  }
  // Only a Host in its canonical form: anything URL parsing would drop or rewrite (user info, a path, 127.1) is refused.
  if (url.host !== host.toLowerCase()) return undefined;
  const loopback = LOOPBACK_NAMES.has(url.hostname) || /^127(\.\d{1,3}){3}$/.test(url.hostname);
  return loopback ? url.origin : undefined;
}

/** A header quoted back in a message, cut short: it is whatever the client sent. */
function shown(value: string): string {
  return value.length > 80 ? `${value.slice(0, 80)}…` : value;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The verdict on a page (`/access`, no Origin) or a WebSocket upgrade (with its Origin). */
export function checkAccess(request: AccessRequest, token: string): AccessVerdict {
  const own = loopbackOrigin(request.host);
  if (!own) {
    return {
      access: 'refused',
      reason: 'foreign-host',
      message:
        `Berth answers only on a loopback address, and this page was opened as "${shown(request.host ?? '')}". Open the address ` +
        'printed by `npm run web` on the machine that runs it; from another machine, forward its port with ' +
        '`ssh -L PORT:127.0.0.1:PORT` and open http://localhost:PORT/ with the same ?token=….',
    };
  }
  if (request.origin !== undefined && request.origin !== own) {
    return {
      access: 'refused',
      reason: 'foreign-origin',
      message: request.origin
        ? `Only Berth's own page may reach the engine; this request came from "${shown(request.origin)}".`
        : "Only Berth's own page may reach the engine; this request named no origin.",
    };
  }
  if (!request.token) {
    return {
      access: 'refused',
      reason: 'no-token',
      message: 'This address has no access token: open the full address printed by `npm run web` (it ends in ?token=…).',
    };
  }
  if (!sameToken(request.token, token)) {
    return {
      access: 'refused',
      reason: 'wrong-token',
      message: 'This address is from an earlier run of Berth: open the address printed by `npm run web`.',
    };
  }
  return { access: 'granted' };
}
