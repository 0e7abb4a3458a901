import type { Command } from 'commander';
import { BerthError, toEnvelope } from '../../shared/errors';
import { CliContext, type GlobalOptions } from './context';
import { EXIT, exitCodeFor } from './exit-codes';

/**
 * Runs one command's body with an engine, prints a coded error the way the window would (message, then the code),
 * and sets the exit code from it. The engine is always closed so no SSH connection keeps the process alive.
 */
export async function run(command: Command, body: (ctx: CliContext) => Promise<number | void>): Promise<void> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const ctx = new CliContext(options);
  let code: number = EXIT.ok;
  try {
    code = (await body(ctx)) ?? EXIT.ok;
  } catch (error) {
    const envelope = toEnvelope(error);
    if (ctx.out.json) ctx.out.data({ error: envelope });
    else ctx.out.note(`${ctx.out.paint('red', 'error')} ${envelope.message} ${ctx.out.paint('grey', `(${envelope.code})`)}`);
    code = error instanceof BerthError ? exitCodeFor(error.code) : EXIT.failed;
  } finally {
    await ctx.close();
  }
  process.exitCode = code;
}
