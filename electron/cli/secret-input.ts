import { InvalidArgumentError } from 'commander';
import { BerthError } from '../../shared/errors';
import type { KeyValue } from './args';

/**
 * Where a `--secret` value comes from. A value on the command line is seen by `ps` and kept in shell history, so
 * `--secret KEY` reads it from stdin (or a hidden prompt on a terminal) and `--secret-env KEY=VAR` from a variable.
 * `--secret KEY=VALUE` still works, with a warning that says how to avoid it.
 */
export type SecretArg = { key: string; from: 'stdin' } | { key: string; from: 'inline'; value: string } | { key: string; from: 'env'; variable: string };

/** `--secret KEY` or `--secret KEY=VALUE`. */
export function parseSecretArg(text: string): SecretArg {
  const eq = text.indexOf('=');
  if (eq === 0) throw new InvalidArgumentError(`--secret expects KEY (the value on stdin) or KEY=VALUE, not "${text}".`);
  return eq < 0 ? { key: text, from: 'stdin' } : { key: text.slice(0, eq), from: 'inline', value: text.slice(eq + 1) };
}

/** `--secret-env KEY=VAR`: the value is read from the environment variable VAR. */
export function parseSecretEnvArg(text: string): SecretArg {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1) throw new InvalidArgumentError(`--secret-env expects KEY=VARIABLE (the variable holding the value), not "${text}".`);
  return { key: text.slice(0, eq), from: 'env', variable: text.slice(eq + 1) };
}

export interface SecretSources {
  env: NodeJS.ProcessEnv;
  /** The whole of stdin (piped), or a hidden answer typed at a terminal. */
  readStdin(key: string): Promise<string>;
  warn(text: string): void;
}

/** The secrets' values, read from where each one comes from; stdin can give one value only. */
export async function resolveSecrets(args: readonly SecretArg[], sources: SecretSources): Promise<KeyValue[]> {
  const fromStdin = args.filter((a) => a.from === 'stdin');
  if (fromStdin.length > 1) {
    throw new BerthError('INVALID_INPUT', `Only one secret can be read from stdin (${fromStdin.map((a) => a.key).join(', ')} all ask for it); give the others with --secret-env KEY=VARIABLE.`);
  }
  const inline = args.filter((a) => a.from === 'inline').map((a) => a.key);
  if (inline.length > 0) {
    sources.warn(
      `warning: --secret ${inline[0]}=… puts the value on the command line, where ps and your shell history keep it. Pass \`--secret ${inline[0]}\` with the value on stdin, or \`--secret-env ${inline[0]}=VARIABLE\`.`,
    );
  }
  const out: KeyValue[] = [];
  for (const arg of args) {
    if (arg.from === 'inline') out.push({ key: arg.key, value: arg.value });
    else if (arg.from === 'stdin') {
      const value = await sources.readStdin(arg.key);
      if (value === '') throw new BerthError('INVALID_INPUT', `--secret ${arg.key}: stdin gave no value. Pipe it in (\`berth … --secret ${arg.key} < file\`) or use --secret-env ${arg.key}=VARIABLE.`);
      out.push({ key: arg.key, value });
    }
    else {
      const value = sources.env[arg.variable];
      if (value === undefined) throw new BerthError('INVALID_INPUT', `--secret-env ${arg.key}=${arg.variable}: the environment variable ${arg.variable} is not set.`);
      out.push({ key: arg.key, value });
    }
  }
  return out;
}

/** Piped stdin, whole, without the one newline `echo` adds; multi-line values (a PEM key) keep their lines. */
export async function readPipedStdin(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** A line typed at the terminal without echo; Ctrl-C cancels. */
export function readHidden(prompt: string, input: NodeJS.ReadStream, output: NodeJS.WritableStream): Promise<string> {
  output.write(prompt);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  let typed = '';
  return new Promise((resolve, reject) => {
    const done = (error?: Error): void => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      output.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (text: string): void => {
      for (const char of text) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new BerthError('CANCELLED', 'Cancelled at the secret prompt.'));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    input.on('data', onData);
  });
}

/** The sources of a real run: this process's env, its stdin (or terminal) and its stderr. */
export function processSecretSources(): SecretSources {
  return {
    env: process.env,
    readStdin: (key) => (process.stdin.isTTY ? readHidden(`Value of ${key} (not shown): `, process.stdin, process.stderr) : readPipedStdin(process.stdin)),
    warn: (text) => process.stderr.write(`${text}\n`),
  };
}
