import type { LockHolder } from '../../../shared/api/rollback';
import { shellQuote } from '../ssh/remote-exec';

/**
 * The shell side of the server-side deploy lock: one small POSIX sh script per operation, run over the SSH link.
 * The lock is a file of `key=value` lines; every change to it happens under a `mkdir` mutex, so check-and-write is
 * atomic even between two laptops. Expiry is computed with the server's clock, so laptops' clocks never matter.
 */

export interface LockFileFields {
  token: string;
  owner: string;
  host: string;
  pid: number;
  operation: string;
}

export interface LockPaths {
  dir: string;
  file: string;
}

/** `~/.berth/locks/<daemon>`: keyed by the Docker daemon, so two names for one server share its locks. */
export function lockDir(daemonId: string): string {
  const daemon = daemonId.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'docker';
  return `$HOME/.berth/locks/${daemon}`;
}

/** `~/.berth/locks/<daemon>/<app>.lock`. */
export function lockPaths(daemonId: string, app: string): LockPaths {
  const dir = lockDir(daemonId);
  return { dir, file: `${dir}/${app}.lock` };
}

/**
 * Creates the lock folder readable by the SSH user only (0700, and its parents up to ~/.berth), so no other account
 * on the server can take, read or plant a lock. Fails (non-zero) when it cannot.
 */
export function privateDirScript(dir: string): string {
  return `umask 077; mkdir -p "${dir}" && chmod 700 "$HOME/.berth" "$HOME/.berth/locks" "${dir}"`;
}

/** Lock fields become single `key=value` lines: anything that could break a line or the shell is dropped. */
export function clean(value: string): string {
  return value.replace(/[^\w .@:#/+-]/g, '').slice(0, 120);
}

const MUTEX = (paths: LockPaths) => `d="${paths.dir}"; f="${paths.file}"; m="$f.mutex"
${privateDirScript(paths.dir)} || { echo ERROR cannot create "$d"; exit 0; }
n=0
while ! mkdir "$m" 2>/dev/null; do
  n=$((n+1))
  # a mutex older than a few seconds was left by a session that died mid-script
  if [ "$n" -ge 40 ]; then rmdir "$m" 2>/dev/null; n=0; fi
  sleep 0.05
done
trap 'rmdir "$m" 2>/dev/null' EXIT
now=$(date +%s)
field() { sed -n "s/^$1=//p" "$f" 2>/dev/null | head -n 1; }`;

/**
 * Takes the lock, or renews it when `renew` (keeping its start time): prints `OK` and the server's time, or `HELD`
 * and the holder's lines when someone else holds a lock that has not expired, or `LOST` when renewing a lock that is
 * no longer ours.
 */
export function takeScript(paths: LockPaths, fields: LockFileFields, ttlSeconds: number, renew: boolean): string {
  const q = (v: string | number) => shellQuote(String(v));
  return `${MUTEX(paths)}
token=$(field token); expires=$(field expires); started=$(field started)
if ${renew ? 'true' : 'false'} && [ "$token" != ${q(fields.token)} ]; then echo LOST; echo "now=$now"; cat "$f" 2>/dev/null; exit 0; fi
if [ -f "$f" ] && [ "$token" != ${q(fields.token)} ] && [ "\${expires:-0}" -gt "$now" ]; then echo HELD; echo "now=$now"; cat "$f"; exit 0; fi
if [ "$token" != ${q(fields.token)} ] || [ -z "$started" ]; then started=$now; fi
printf 'token=%s\\nowner=%s\\nhost=%s\\npid=%s\\noperation=%s\\nstarted=%s\\nexpires=%s\\n' ${q(fields.token)} ${q(clean(fields.owner))} ${q(clean(fields.host))} ${q(fields.pid)} ${q(clean(fields.operation))} "$started" "$((now + ${Math.max(1, Math.round(ttlSeconds))}))" > "$f.$$" && mv -f "$f.$$" "$f" || { echo ERROR cannot write "$f"; exit 0; }
echo OK; echo "now=$now"`;
}

/** Removes the lock if it is still ours. */
export function releaseScript(paths: LockPaths, token: string): string {
  return `${MUTEX(paths)}
if [ "$(field token)" = ${shellQuote(token)} ]; then rm -f "$f"; fi
echo OK`;
}

/** Prints the lock file (if any) after the server's time. */
export function readScript(paths: LockPaths): string {
  return `f="${paths.file}"; echo "now=$(date +%s)"; cat "$f" 2>/dev/null; true`;
}

export type TakeResult =
  | { kind: 'ok'; serverNow: number }
  | { kind: 'held'; holder: LockHolder; serverNow: number }
  | { kind: 'lost'; holder: LockHolder | null; serverNow: number }
  | { kind: 'error'; message: string };

/** Reads what a take (or renew) script printed. */
export function parseTake(output: string): TakeResult {
  const lines = output.trim().split('\n');
  const head = lines[0]?.trim() ?? '';
  const values = parseFields(lines.slice(1));
  const serverNow = Number(values.now ?? NaN);
  if (head === 'OK') return { kind: 'ok', serverNow };
  if (head === 'HELD') {
    const holder = holderOf(values);
    return holder ? { kind: 'held', holder, serverNow } : { kind: 'error', message: `unreadable lock file:\n${lines.slice(1).join('\n')}` };
  }
  if (head === 'LOST') return { kind: 'lost', holder: holderOf(values), serverNow };
  return { kind: 'error', message: output.trim() || 'the lock script printed nothing' };
}

/** Reads what the read script printed: the holder and its token, or null when there is no lock or it has expired. */
export function parseRead(output: string): (LockHolder & { token: string }) | null {
  const values = parseFields(output.trim().split('\n'));
  const holder = holderOf(values);
  if (!holder) return null;
  const now = Number(values.now);
  return Number.isFinite(now) && Date.parse(holder.expiresAt) <= now * 1000 ? null : { ...holder, token: values.token ?? '' };
}

function parseFields(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1).trim();
  }
  return out;
}

function holderOf(values: Record<string, string>): LockHolder | null {
  const started = Number(values.started);
  const expires = Number(values.expires);
  if (!values.token || !Number.isFinite(started) || !Number.isFinite(expires)) return null;
  return {
    owner: values.owner ?? 'unknown',
    host: values.host ?? 'unknown',
    pid: Number(values.pid) || 0,
    operation: values.operation ?? '',
    startedAt: new Date(started * 1000).toISOString(),
    expiresAt: new Date(expires * 1000).toISOString(),
  };
}

/** The sentence a refusal or a wait names the holder with. */
export function describeHolder(app: string, holder: LockHolder): string {
  const since = holder.startedAt.slice(11, 19);
  const until = holder.expiresAt.slice(11, 19);
  return `${holder.owner} on ${holder.host} (pid ${holder.pid}) holds the deploy lock of ${app}${holder.operation ? ` for ${holder.operation}` : ''} since ${since} UTC; it expires by itself at ${until} UTC unless renewed`;
}
