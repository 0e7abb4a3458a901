import { readFileSync } from 'node:fs';
import { BerthError } from '../../shared/errors';
import type { KeyValue } from './args';
import type { CliContext } from './context';

const SHOWN_ERRORS = 5;

/**
 * Reads `.env` files with the engine's parser. Any malformed line refuses the whole set before anything is saved
 * (ENV_PARSE_ERROR, exit 2), naming the file and each line; warnings (a key set twice) are printed.
 */
export async function readEnvFiles(ctx: CliContext, paths: readonly string[]): Promise<KeyValue[]> {
  const vars: KeyValue[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new BerthError('INVALID_INPUT', `Cannot read the env file ${path}: ${(error as Error).message}`);
    }
    const parsed = await ctx.call('apps.parseEnv', { text });
    if (parsed.errors.length > 0) {
      const count = parsed.errors.length;
      const shown = parsed.errors.slice(0, SHOWN_ERRORS).map((e) => `line ${e.line}: ${e.message}`);
      const more = count > SHOWN_ERRORS ? `; and ${count - SHOWN_ERRORS} more` : '';
      throw new BerthError('ENV_PARSE_ERROR', `${path} has ${count} malformed line${count > 1 ? 's' : ''}, so nothing was saved: ${shown.join('; ')}${more}.`, {
        file: path,
        errors: parsed.errors,
      });
    }
    for (const warning of parsed.warnings) ctx.out.note(`${path}: line ${warning.line}: ${warning.message}`);
    vars.push(...parsed.vars.map(({ key, value }) => ({ key, value })));
  }
  return vars;
}
