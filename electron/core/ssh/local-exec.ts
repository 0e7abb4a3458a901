import { spawn } from 'node:child_process';
import { BerthError } from '../../../shared/errors';
import type { ExecOptions, ExecResult } from './server-link';

/** A shell command on this computer, with the same options and result as a command run on a server. */
export function localExec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { stdio: 'pipe', ...(options.signal ? { signal: options.signal } : {}) });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            child.kill('SIGKILL');
            reject(new BerthError('COMMAND_TIMEOUT', `"${command}" did not finish within ${options.timeoutMs} ms.`));
          }, options.timeoutMs);
    if (options.stdout) child.stdout.pipe(options.stdout, { end: false });
    else child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    if (options.stderr) child.stderr.pipe(options.stderr, { end: false });
    else child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(options.signal?.aborted ? new BerthError('CANCELLED', `Cancelled: ${command}`) : new BerthError('INTERNAL', `Could not run "${command}": ${error.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 255, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
    const stdin = options.stdin;
    if (stdin === undefined) child.stdin.end();
    else if (typeof stdin === 'string' || Buffer.isBuffer(stdin)) child.stdin.end(stdin);
    else stdin.pipe(child.stdin);
  });
}
