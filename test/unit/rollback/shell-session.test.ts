import { spawn } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { ShellSession } from '../../../electron/core/locks/shell-session';
import type { ExecOptions, ExecResult, ServerLink } from '../../../electron/core/ssh/server-link';

/** A link whose exec runs a local sh, as sshd would run the command through the user's shell. */
function localLink(rcOutput = ''): ServerLink & { opened: number } {
  const link = {
    serverId: 'local',
    remote: false,
    docker: undefined as unknown as Docker,
    opened: 0,
    forwardOut: async (): Promise<Duplex> => {
      throw new Error('not here');
    },
    exec: (command: string, options: ExecOptions = {}): Promise<ExecResult> =>
      new Promise((resolve) => {
        link.opened++;
        const child = spawn('sh', ['-c', `printf '${rcOutput}'; ${command}`]);
        if (options.stdout) child.stdout.pipe(options.stdout, { end: false });
        if (options.stderr) child.stderr.pipe(options.stderr, { end: false });
        if (options.stdin && typeof options.stdin !== 'string' && !Buffer.isBuffer(options.stdin)) options.stdin.pipe(child.stdin);
        child.on('close', (code) => resolve({ code: code ?? 255, stdout: '', stderr: '' }));
      }),
  };
  return link;
}

describe('a long-lived shell session', () => {
  it('runs scripts one after another over one channel, with their output and exit code', async () => {
    const link = localLink('welcome from .bashrc\\n');
    const session = ShellSession.of(link);
    expect(await session.run('echo one')).toEqual({ code: 0, output: 'one\n' });
    expect(await session.run('echo two >&2; exit 4')).toEqual({ code: 4, output: 'two\n' });
    expect(await session.run('printf "no newline"')).toEqual({ code: 0, output: 'no newline' });
    expect(link.opened).toBe(1);
    session.close();
  });

  it('keeps each script in a subshell, so an exit or a trap is its own', async () => {
    const session = ShellSession.of(localLink());
    await session.run("trap 'echo trapped' EXIT; x=1; exit 0");
    expect(await session.run('echo "x=${x:-unset}"')).toEqual({ code: 0, output: 'x=unset\n' });
    session.close();
  });

  it('serves scripts asked for at once in the order they were asked', async () => {
    const session = ShellSession.of(localLink());
    const results = await Promise.all([1, 2, 3, 4].map((n) => session.run(`sleep 0.0${5 - n}; echo ${n}`)));
    expect(results.map((r) => r.output.trim())).toEqual(['1', '2', '3', '4']);
    session.close();
  });

  it('gives up on a script that hangs, and starts a new session for the next one', async () => {
    const link = localLink();
    const session = ShellSession.of(link);
    await expect(session.run('sleep 5', 200)).rejects.toMatchObject({ code: 'COMMAND_TIMEOUT' });
    expect(await session.run('echo again')).toEqual({ code: 0, output: 'again\n' });
    expect(link.opened).toBe(2);
    session.close();
  });

  it('opens a new session after the old one ended', async () => {
    const link = localLink();
    const session = ShellSession.of(link);
    await session.run('true');
    session.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(await session.run('echo back')).toEqual({ code: 0, output: 'back\n' });
    expect(link.opened).toBe(2);
    session.close();
  });
});
