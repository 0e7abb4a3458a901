import { PassThrough, Writable } from 'node:stream';
import { BerthError } from '../../../shared/errors';
import { lockDir, privateDirScript } from '../locks/lock-script';
import { serverDaemonId } from '../ssh/daemon-id';
import type { ServerLink } from '../ssh/server-link';

const WAIT_S = 30;

/**
 * A lock on the server itself (`flock` on `~/.berth/locks/<daemon>/edge-proxy.flock`, in a folder only the SSH user
 * can enter, so no other account can hold or plant it; app names have no dot, so no deploy lock has that name), so two Berth processes (two laptops, or the app and the
 * CLI) never reload or switch the same proxy at once. One exec session per server stays open and takes `lock` /
 * `unlock` lines on its stdin, so taking the lock costs a round trip, not a new session. Closing the session, or
 * losing the connection, releases it. Servers without flock get no cross-process lock (the in-process one applies).
 */
class LockSession {
  private readonly stdin = new PassThrough();
  private readonly waiting: Array<(answer: string) => void> = [];
  private partial = '';
  private ended = false;

  constructor(link: ServerLink, daemonId: string) {
    const stdout = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        this.partial += chunk.toString('utf8');
        let nl = this.partial.indexOf('\n');
        while (nl >= 0) {
          const answer = this.partial.slice(0, nl).trim();
          this.partial = this.partial.slice(nl + 1);
          this.waiting.shift()?.(answer);
          nl = this.partial.indexOf('\n');
        }
        done();
      },
    });
    const script = [
      `command -v flock >/dev/null 2>&1 || { while read -r op; do echo nolock; done; exit 0; }`,
      `${privateDirScript(lockDir(daemonId))} || { while read -r op; do echo nolock; done; exit 0; }`,
      `exec 9>"${lockDir(daemonId)}/edge-proxy.flock"`,
      `while read -r op; do if [ "$op" = lock ]; then if flock -w ${WAIT_S} 9; then echo locked; else echo timeout; fi; else flock -u 9; echo unlocked; fi; done`,
    ].join('; ');
    link
      .exec(script, { stdin: this.stdin, stdout })
      .catch(() => undefined)
      .finally(() => {
        this.ended = true;
        for (const answer of this.waiting.splice(0)) answer('gone');
      });
  }

  get alive(): boolean {
    return !this.ended;
  }

  ask(op: 'lock' | 'unlock'): Promise<string> {
    if (this.ended) return Promise.resolve('gone');
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.stdin.write(`${op}\n`);
    });
  }

  close(): void {
    this.stdin.end();
  }
}

const sessions = new Map<ServerLink, LockSession>();

async function sessionFor(link: ServerLink): Promise<LockSession> {
  const daemonId = await serverDaemonId(link);
  let session = sessions.get(link);
  if (!session || !session.alive) {
    session = new LockSession(link, daemonId);
    sessions.set(link, session);
  }
  return session;
}

/** Runs the task holding the server's proxy lock. Callers serialise within the process first (one holder at a time). */
export async function withServerLock<T>(link: ServerLink, task: () => Promise<T>): Promise<T> {
  const session = await sessionFor(link);
  const answer = await session.ask('lock');
  if (answer === 'timeout') throw new BerthError('LOCKED', `Another Berth process held the edge proxy of this server for over ${WAIT_S} s; try again.`);
  try {
    return await task();
  } finally {
    if (answer === 'locked') await session.ask('unlock');
  }
}

/** Ends every lock session (the engine closing). */
export function closeServerLocks(): void {
  for (const session of sessions.values()) session.close();
  sessions.clear();
}
