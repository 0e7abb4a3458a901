import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseSecretArg, parseSecretEnvArg, readPipedStdin, resolveSecrets, type SecretSources } from '../../../electron/cli/secret-input';

function sources(stdin = '', env: NodeJS.ProcessEnv = {}): SecretSources & { warnings: string[]; reads: number } {
  const out = { warnings: [] as string[], reads: 0, env, warn: (t: string) => out.warnings.push(t), readStdin: async () => (out.reads++, stdin) };
  return out;
}

describe('where a --secret value comes from', () => {
  it('reads --secret KEY from stdin, so the value is never on the command line', async () => {
    const from = sources('-----BEGIN KEY-----\nabc\n-----END KEY-----');
    expect(await resolveSecrets([parseSecretArg('TLS_KEY')], from)).toEqual([{ key: 'TLS_KEY', value: '-----BEGIN KEY-----\nabc\n-----END KEY-----' }]);
    expect(from.warnings).toEqual([]);
  });

  it('reads --secret-env KEY=VAR from the variable the user names', async () => {
    expect(await resolveSecrets([parseSecretEnvArg('STRIPE_KEY=MY_STRIPE')], sources('', { MY_STRIPE: 'sk_live_1' }))).toEqual([{ key: 'STRIPE_KEY', value: 'sk_live_1' }]);
  });

  it('refuses a variable that is not set, naming it', async () => {
    await expect(resolveSecrets([parseSecretEnvArg('K=NOPE')], sources())).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('NOPE is not set') });
  });

  it('keeps the old KEY=VALUE form working, with a warning that gives the fix', async () => {
    const from = sources();
    expect(await resolveSecrets([parseSecretArg('K=v=1')], from)).toEqual([{ key: 'K', value: 'v=1' }]);
    expect(from.warnings[0]).toContain('Pass `--secret K` with the value on stdin, or `--secret-env K=VARIABLE`');
    expect(from.warnings[0]).not.toContain('v=1');
  });

  it('reads stdin for one secret only', async () => {
    const from = sources('x');
    await expect(resolveSecrets([parseSecretArg('A'), parseSecretArg('B')], from)).rejects.toMatchObject({ message: expect.stringContaining('Only one secret can be read from stdin') });
    expect(from.reads).toBe(0);
  });

  it('refuses an empty stdin instead of storing an empty secret', async () => {
    await expect(resolveSecrets([parseSecretArg('A')], sources(''))).rejects.toMatchObject({ message: expect.stringContaining('stdin gave no value') });
  });

  it('takes piped stdin whole, dropping only the newline echo adds', async () => {
    expect(await readPipedStdin(Readable.from([Buffer.from('line one\n'), Buffer.from('line two\n')]))).toBe('line one\nline two');
  });

  it('refuses malformed options as usage errors', () => {
    expect(() => parseSecretArg('=x')).toThrow(/--secret expects KEY/);
    expect(() => parseSecretEnvArg('K')).toThrow(/--secret-env expects KEY=VARIABLE/);
    expect(() => parseSecretEnvArg('K=')).toThrow(/--secret-env expects KEY=VARIABLE/);
  });
});
