import type { Command } from 'commander';
import { BerthError, toEnvelope, type ErrorEnvelope } from '../../shared/errors';
import type { CliContext, GlobalOptions } from './context';
import { EXIT, exitCodeFor } from './exit-codes';
import type { Output } from './output';

/**
 * Runs one command's body with an engine, prints a coded error the way the window would (message, then the code),
 * and sets the exit code from it. The engine is always closed so no SSH connection keeps the process alive.
 */
export async function run(command: Command, body: (ctx: CliContext) => Promise<number | void>): Promise<void> {
  const options = command.optsWithGlobals<GlobalOptions>();
  // The engine is loaded only by a command that needs it, so `--help` and `--version` start in a few milliseconds.
  const { CliContext: Context } = await import('./context');
  const ctx = new Context(options);
  let code: number;
  try {
    code = (await body(ctx)) ?? EXIT.ok;
  } catch (error) {
    const envelope = toEnvelope(error);
    printError(ctx.out, envelope);
    code = error instanceof BerthError ? exitCodeFor(error.code) : EXIT.failed;
  } finally {
    await ctx.close();
  }
  process.exitCode = code;
}

/** The sentence and its code on stderr; with `--json`, stdout also gets one document: `{ "error": { code, message } }`. */
export function printError(out: Output, envelope: ErrorEnvelope): void {
  if (out.json) out.data({ error: envelope });
  out.note(`${out.paintErr('red', 'error')} ${envelope.message} ${out.paintErr('grey', `(${envelope.code})`)}`);
}

/**
 * Runs `onSignal` at the first Ctrl+C (or SIGTERM from a CI runner) instead of dying, so the command can wind down
 * what it started; a second one exits at once. Returns the function that restores the default behaviour.
 */
export function onInterrupt(onSignal: (signal: NodeJS.Signals) => void): () => void {
  let seen = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (seen) process.exit(EXIT.failed);
    seen = true;
    onSignal(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
