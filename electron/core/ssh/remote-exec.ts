import type { Readable, Writable } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import { BerthError } from '../../../shared/errors';
import { noControl } from '../../../shared/safe-input';
import type { ExecOptions, ExecResult } from './server-link';

/**
 * Shell-quotes one word for a POSIX sh command line. A control character has no safe place in a command Berth sends
 * (a NUL ends it early, a newline ends a script line of a shell session): such a word is refused, not quoted.
 */
export function shellQuote(word: string): string {
  const why = noControl(word);
  if (why !== null) throw new BerthError('INVALID_INPUT', `Berth will not pass a value that ${why} to a shell command on the server; remove it from the setting it came from.`);
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs one exec channel to its end: feeds stdin, streams or collects output, and turns cancellation, timeouts and
 * a dropped connection into coded errors. A non-zero exit is a result, not an error.
 */
export function superviseExec(channel: ClientChannel, command: string, options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let exitCode: number | undefined;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;

    const finish = (outcome: { result: ExecResult } | { error: BerthError }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if ('error' in outcome) {
        channel.close();
        reject(outcome.error);
      } else {
        resolve(outcome.result);
      }
    };
    const onAbort = (): void => finish({ error: new BerthError('CANCELLED', `Cancelled: ${brief(command)}`) });

    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.timeoutMs !== undefined) {
      timer = setTimeout(
        () => finish({ error: new BerthError('COMMAND_TIMEOUT', `"${brief(command)}" did not finish within ${options.timeoutMs} ms on the server.`) }),
        options.timeoutMs,
      );
    }

    route(channel, options.stdout, stdout);
    route(channel.stderr, options.stderr, stderr);
    channel.on('exit', (code: number | null) => {
      exitCode = code ?? 255;
    });
    channel.on('error', (error: Error) => {
      finish({ error: error instanceof BerthError ? error : new BerthError('SSH_DISCONNECTED', `"${brief(command)}" failed: ${error.message}`) });
    });
    channel.on('close', () => {
      if (exitCode === undefined) {
        finish({ error: new BerthError('SSH_DISCONNECTED', `"${brief(command)}" ended without an exit status: the connection closed.`) });
        return;
      }
      finish({ result: { code: exitCode, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') } });
    });

    feed(channel, options.stdin);
  });
}

function route(source: Readable, target: Writable | undefined, collected: Buffer[]): void {
  if (target) source.pipe(target, { end: false });
  else source.on('data', (chunk: Buffer) => collected.push(chunk));
}

function feed(channel: ClientChannel, stdin: ExecOptions['stdin']): void {
  if (stdin === undefined) channel.end();
  else if (typeof stdin === 'string' || Buffer.isBuffer(stdin)) channel.end(stdin);
  else stdin.pipe(channel);
}

function brief(command: string): string {
  return command.length > 80 ? `${command.slice(0, 77)}...` : command;
}
