/* eslint-disable no-control-regex -- finding control characters is what this module is for */
/**
 * Named checks for values that end up in a config line (HAProxy), a shell command on a server or a Docker label.
 * Each returns null when the value can be written safely, or what is wrong with it. The contract applies them with a
 * message naming the field and the fix; the places that write the values apply them again before writing.
 */
import type { z } from 'zod';

export type SafetyCheck = (value: string) => string | null;

/** A field of the contract with its check and what to do instead: how a refusal names the cause and the fix. */
export interface SafetyRule {
  field: string;
  check: SafetyCheck;
  fix: string;
}

/** Adds one issue when the value breaks the rule; an absent value (a patch leaves it out) passes. */
export function applyRule(ctx: z.RefinementCtx, rule: SafetyRule, value: string | undefined, path: Array<string | number>, name?: string): void {
  if (value === undefined) return;
  const why = rule.check(value);
  if (why !== null) ctx.addIssue({ code: 'custom', path, message: `${rule.field}${name ? ` (${name})` : ''} ${why}: ${rule.fix}` });
}

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators: none of them belongs in a one-line value
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const NAMED: Record<string, string> = {
  '\n': 'a newline',
  '\r': 'a carriage return',
  '\0': 'a NUL byte',
  '\t': 'a tab',
  ' ': 'a space',
  '"': 'a double quote',
  "'": 'a single quote',
  '`': 'a backquote',
  '#': 'a "#"',
  '\\': 'a backslash',
  $: 'a "$"',
};

/** How a message names one character: by name when it has one, else by its code point. */
export function describeChar(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return CONTROL.test(char) ? `a control character (${hex})` : `"${char}" (${hex})`;
}

function first(pattern: RegExp, value: string): string | null {
  const match = pattern.exec(value);
  return match ? `contains ${describeChar(match[0])}` : null;
}

/** No control characters (newline, CR, NUL, tab…): the rule for every value that is not free text. */
export const noControl: SafetyCheck = (value) => first(CONTROL, value);

/** Like noControl, but a newline or a tab may stay: for env values, which Docker passes through as one string. */
export const noControlButLines: SafetyCheck = (value) => first(/[\u0000-\u0008\u000b-\u001f\u007f]/, value);

/**
 * One word of a config line, written without quotes: no control characters, no blanks (they end the word), no quotes
 * or backslash (HAProxy reads them as quoting), no `#` (a comment), no `$` (a variable in some parsers).
 */
export const configWord: SafetyCheck = (value) => first(/[\s"'`\\#$\u0000-\u001f\u007f-\u009f\u2028\u2029]/, value);

/** An HTTP path (and query) for a health check: what may stand in an HTTP request line and a config line. */
export const healthPath: SafetyCheck = (value) => {
  if (!value.startsWith('/')) return 'must start with "/"';
  return first(/[^A-Za-z0-9\-._~!&()*+,;=:@%/?]/, value);
};

/** A word given to a command as an argument: no control characters, and no leading "-" (it would read as an option). */
export const argumentWord: SafetyCheck = (value) => {
  if (value.startsWith('-')) return 'starts with "-"';
  return first(/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]/, value);
};

/** A Docker label key: reverse-DNS style, and not in Berth's own `berth.` namespace. */
export const labelKey: SafetyCheck = (value) => {
  if (value === '') return 'is empty';
  if (value.toLowerCase().startsWith('berth.')) return 'is in the "berth." namespace, which Berth keeps for its own labels';
  return first(/[^A-Za-z0-9._/-]/, value);
};

/** A named Docker volume, or an absolute server path for a bind mount. */
export const volumeSource: SafetyCheck = (value) => {
  if (value.startsWith('/')) return noControl(value);
  return /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(value) ? null : 'is neither a volume name (letters, digits, "_", "." and "-") nor an absolute path';
};

/** An image reference such as `ghcr.io/acme/web:1.4` or `app@sha256:…`. */
export const imageRef: SafetyCheck = (value) => {
  if (!/^[A-Za-z0-9]/.test(value)) return 'must start with a letter or a digit';
  return first(/[^A-Za-z0-9._/:@-]/, value);
};

/** An IPv4 or IPv6 address (as Docker takes a port binding's host IP), or empty for every address. */
export const ipAddressOrEmpty: SafetyCheck = (value) => {
  if (value === '') return null;
  if (/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(value)) return null;
  if (/^[0-9A-Fa-f:]+$/.test(value) && value.includes(':')) return null;
  return 'is not an IP address such as 127.0.0.1 or ::1';
};

/** A host name or an address to connect to. */
export const hostName: SafetyCheck = (value) => {
  if (value.startsWith('-')) return 'starts with "-"';
  return first(/[^A-Za-z0-9._:[\]%-]/, value);
};

const USERINFO = /^([a-z][a-z0-9+.-]*):\/\/([^/@\s]*)@/i;

/**
 * The secret part of a URL's `user:token@`, or null when it has none: any user info of an http(s) URL (a lone token
 * works as a user name there), a password of any other scheme (`ssh://git@host` names only a user).
 */
export function urlCredentials(url: string): { username: string; password: string } | null {
  const match = USERINFO.exec(url);
  const scheme = match?.[1]?.toLowerCase() ?? '';
  const info = match?.[2] ?? '';
  if (info === '' || (!scheme.startsWith('http') && !info.includes(':'))) return null;
  const colon = info.indexOf(':');
  const user = colon < 0 ? info : info.slice(0, colon);
  const password = colon < 0 ? '' : info.slice(colon + 1);
  return { username: decode(user), password: decode(password) };
}

/** The URL without its secret credentials (a plain `ssh://git@` user stays). */
export function withoutCredentials(url: string): string {
  return urlCredentials(url) ? url.replace(USERINFO, '$1://') : url;
}

/** The URL as it may be shown: its secret credentials become "***". */
export function redactUrl(url: string): string {
  return urlCredentials(url) ? url.replace(USERINFO, '$1://***@') : url;
}

/** Every URL with credentials inside a text, redacted (for messages that quote a command or git's output). */
export function redactUrlsIn(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*):\/\/([^/@\s'"]+)@/gi, (all: string, scheme: string) => (urlCredentials(all) ? `${scheme}://***@` : all));
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
