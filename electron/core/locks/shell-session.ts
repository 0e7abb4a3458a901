import { randomBytes } from 'node:crypto';
import { PassThrough, Writable } from 'node:stream';
import { BerthError } from '../../../shared/errors';
import type { ServerLink } from '../ssh/server-link';

export interface ShellResult {
  code: number;
  /** stdout and stderr, interleaved as the script wrote them. */
  output: string;
}

interface Pending {
  resolve(result: ShellResult): void;
  reject(error: Error): void;
}

interface Session {
  stdin: PassThrough;
  closed: boolean;
  /** The shell answered its first marker: it runs commands. */
  ready: boolean;
}

const sessions = new WeakMap<ServerLink, ShellSession>();

/**
 * One long-lived `sh` on the server, fed short scripts one at a time over a single exec channel. Opening an exec
 * channel runs the user's login shell and its rc files each time (seen here: 400 ms for a `pyenv init` in .bashrc);
 * a session pays that once per connection, after which a script costs a round trip. Each script runs in a subshell,
 * so `exit` and traps stay its own. A dropped connection ends the session; the next script opens a new one.
 */
export class ShellSession {
  private session: Session | undefined;
  private opening: Promise<Session> | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private buffer = '';
  private pending: Pending | undefined;
  private readonly marker = `__berth_${randomBytes(6).toString('hex')}`;
  private counter = 0;

  private constructor(private readonly link: ServerLink) {}

  /** The session of a link, shared by everyone who runs short scripts on that server. */
  static of(link: ServerLink): ShellSession {
    let session = sessions.get(link);
    if (!session) {
      session = new ShellSession(link);
      sessions.set(link, session);
    }
    return session;
  }

  /** Runs one script (queued behind the ones before it); rejects with COMMAND_TIMEOUT when it takes too long. */
  run(script: string, timeoutMs = 15_000): Promise<ShellResult> {
    const result = this.tail.then(() => this.runNow(script, timeoutMs));
    this.tail = result.catch(() => undefined);
    return result;
  }

  close(): void {
    this.session?.stdin.end();
    this.session = undefined;
  }

  private async runNow(script: string, timeoutMs: number): Promise<ShellResult> {
    const session = await this.open();
    const id = `${this.marker}_${++this.counter}`;
    const done = this.expect(id, timeoutMs, session);
    session.stdin.write(`( ${script}\n) </dev/null 2>&1; printf '\\n${id} %s\\n' "$?"\n`);
    return done;
  }

  private expect(id: string, timeoutMs: number, session: Session): Promise<ShellResult> {
    return new Promise<ShellResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        // the session is in an unknown state now: start afresh next time
        this.drop(session);
        reject(new BerthError('COMMAND_TIMEOUT', `A command on ${this.link.serverId} did not finish within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.pending = {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.deliver(id);
    });
  }

  /** Hands the pending script its output once its end marker arrived. */
  private deliver(id?: string): void {
    if (!this.pending) return;
    const wanted = id ?? `${this.marker}_${this.counter}`;
    const at = this.buffer.indexOf(`\n${wanted} `);
    if (at < 0) return;
    const eol = this.buffer.indexOf('\n', at + 1);
    if (eol < 0) return;
    const code = Number(this.buffer.slice(at + wanted.length + 2, eol));
    const output = this.buffer.slice(0, at);
    this.buffer = this.buffer.slice(eol + 1);
    const pending = this.pending;
    this.pending = undefined;
    pending.resolve({ code: Number.isFinite(code) ? code : 255, output });
  }

  private open(): Promise<Session> {
    if (this.session && !this.session.closed) return Promise.resolve(this.session);
    this.opening ??= this.start().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async start(): Promise<Session> {
    const stdin = new PassThrough();
    const session: Session = { stdin, closed: false, ready: false };
    this.buffer = '';
    const stdout = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        if (this.session === session) {
          this.buffer += chunk.toString('utf8');
          this.deliver();
        }
        callback();
      },
    });
    const ended = (error: Error): void => {
      session.closed = true;
      if (this.session === session) {
        this.session = undefined;
        this.pending?.reject(error);
        this.pending = undefined;
      }
    };
    this.link.exec('exec sh', { stdin, stdout, stderr: stdout }).then(
      (result) => ended(session.ready ? new BerthError('SSH_DISCONNECTED', `The shell session on ${this.link.serverId} ended (exit ${result.code}).`) : shellRefused(this.link, this.buffer, result.code)),
      (error: unknown) => ended(error instanceof Error ? error : new Error(String(error))),
    );
    this.session = session;
    // whatever the login shell's rc files print comes before this first marker and is dropped with it
    const ready = `${this.marker}_${++this.counter}`;
    const done = this.expect(ready, 30_000, session);
    stdin.write(`printf '\\n${ready} 0\\n'\n`);
    await done;
    session.ready = true;
    return session;
  }

  private drop(session: Session): void {
    session.closed = true;
    session.stdin.end();
    if (this.session === session) this.session = undefined;
  }
}

/**
 * The login shell exited before running anything: a `nologin` or `false` shell, or an sshd that forces a command.
 * Docker still works over the link then, but Berth's locks and checks need a shell; say so with the shell's words.
 */
function shellRefused(link: ServerLink, printed: string, code: number): BerthError {
  const said = printed.trim().split('\n').slice(-3).join(' ').slice(0, 300);
  const words = said ? `: "${said}"` : ` (exit ${code}, nothing printed)`;
  return new BerthError(
    'SHELL_REFUSED',
    `The SSH user's login shell on ${link.serverId} refuses to run commands${words}. Docker works over the link, but Berth also runs a few shell commands (locks, disk space). Give the user a shell such as /bin/sh (for example \`usermod -s /bin/sh USER\` as root on the server).`,
    { exitCode: code },
  );
}
