import { PassThrough, Writable } from 'node:stream';
import { BerthError } from '../../../shared/errors';
import { shellQuote } from '../deploy/source-git';
import type { ServerLink } from '../ssh/server-link';

const WAIT_S = 30;

/**
 * Runs a task while holding a lock on the server itself (`flock` on a file in /tmp), so two Berth processes (two
 * laptops, or the app and the CLI) never reload or switch the same proxy at once. The lock lives in one exec session
 * whose stdin we keep open: ending it, or losing the connection, releases it. Servers without flock get no
 * cross-process lock (the in-process one still applies).
 */
export async function withServerLock<T>(link: ServerLink, name: string, task: () => Promise<T>): Promise<T> {
  const stdin = new PassThrough();
  let held: (value: boolean) => void = () => undefined;
  const acquired = new Promise<boolean>((resolve) => (held = resolve));
  const stdout = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = chunk.toString('utf8');
      if (text.includes('locked')) held(true);
      else if (text.includes('nolock')) held(false);
      done();
    },
  });
  const file = shellQuote(`/tmp/berth-${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.lock`);
  const running = link
    .exec(`command -v flock >/dev/null 2>&1 || { echo nolock; exit 0; }; exec flock -w ${WAIT_S} ${file} sh -c 'echo locked; exec cat >/dev/null'`, { stdin, stdout })
    .then(
      (result) => {
        held(false);
        return result;
      },
      (error: unknown) => {
        // the session could not even start: go on with the in-process lock only
        held(false);
        throw error;
      },
    );
  const locked = await acquired;
  if (!locked) {
    const result = await running.catch(() => null);
    if (result && result.code !== 0) {
      throw new BerthError('LOCKED', `Another Berth process held the edge proxy of this server for over ${WAIT_S} s; try again.`);
    }
  }
  try {
    return await task();
  } finally {
    stdin.end();
    await running.catch(() => undefined);
  }
}
