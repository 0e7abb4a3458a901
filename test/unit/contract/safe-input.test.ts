import { describe, expect, it } from 'vitest';
import { AppInput, AppPatch } from '../../../shared/api/apps';
import { ServerInput, ServerPatch, serversMethods } from '../../../shared/api/servers';
import { redactUrl, redactUrlsIn, urlCredentials, withoutCredentials } from '../../../shared/safe-input';

/** The probes every field is tried with, and which of them a field takes (`true`) or refuses. */
const PROBES = { newline: 'a\nb', cr: 'a\rb', nul: 'a\0b', quotes: `a"b'c`, hash: 'a#b', space: 'a b' } as const;
type Probe = keyof typeof PROBES;
type Accepts = Record<Probe, boolean>;

const refusesAll: Accepts = { newline: false, cr: false, nul: false, quotes: false, hash: false, space: false };
const textOnly: Accepts = { newline: false, cr: false, nul: false, quotes: true, hash: true, space: true };
const wordOnly: Accepts = { newline: false, cr: false, nul: false, quotes: true, hash: true, space: false };

const base = { serverId: 's1', name: 'web', source: { kind: 'image', image: 'web:1' } };

interface AppField {
  field: string;
  accepts: Accepts;
  input: (value: string) => unknown;
}

const appFields: AppField[] = [
  { field: 'health path', accepts: refusesAll, input: (v) => ({ ...base, runtime: { healthCheck: { kind: 'http', path: `/h${v}` } } }) },
  { field: 'domain', accepts: refusesAll, input: (v) => ({ ...base, runtime: { domains: [`x${v}.example.com`] } }) },
  { field: 'label key', accepts: refusesAll, input: (v) => ({ ...base, runtime: { labels: { [`com.acme${v}`]: 'x' } } }) },
  { field: 'label value', accepts: textOnly, input: (v) => ({ ...base, runtime: { labels: { 'com.acme': v } } }) },
  { field: 'command', accepts: textOnly, input: (v) => ({ ...base, runtime: { command: ['/bin/sh', '-c', `echo ${v}`] } }) },
  { field: 'health command', accepts: textOnly, input: (v) => ({ ...base, runtime: { healthCheck: { kind: 'command', command: ['sh', '-c', v] } } }) },
  { field: 'build arg key', accepts: refusesAll, input: (v) => ({ ...base, build: { args: { [`V${v}`]: '1' } } }) },
  { field: 'build arg value', accepts: textOnly, input: (v) => ({ ...base, build: { args: { V: v } } }) },
  { field: 'build target', accepts: wordOnly, input: (v) => ({ ...base, build: { target: v } }) },
  { field: 'build context', accepts: wordOnly, input: (v) => ({ ...base, build: { context: v } }) },
  { field: 'Dockerfile', accepts: textOnly, input: (v) => ({ ...base, build: { dockerfile: v } }) },
  { field: 'named volume', accepts: refusesAll, input: (v) => ({ ...base, runtime: { volumes: [{ source: `data${v}`, target: '/data' }] } }) },
  { field: 'bind mount source', accepts: textOnly, input: (v) => ({ ...base, runtime: { volumes: [{ source: `/srv/${v}`, target: '/data' }] } }) },
  { field: 'volume target', accepts: textOnly, input: (v) => ({ ...base, runtime: { volumes: [{ source: 'data', target: `/d${v}` }] } }) },
  { field: 'published host IP', accepts: refusesAll, input: (v) => ({ ...base, runtime: { published: [{ container: 80, published: 8081, hostIp: `127.0.0.1${v}` }] } }) },
  { field: 'env key', accepts: refusesAll, input: (v) => ({ ...base, runtime: { env: [{ key: `K${v}`, value: '1' }] } }) },
  { field: 'image', accepts: refusesAll, input: (v) => ({ ...base, source: { kind: 'image', image: `web${v}:1` } }) },
  { field: 'git URL', accepts: wordOnly, input: (v) => ({ ...base, source: { kind: 'git', url: `https://git.example.com/a${v}.git` } }) },
  { field: 'git ref', accepts: wordOnly, input: (v) => ({ ...base, source: { kind: 'git', url: 'https://git.example.com/a.git', ref: `r${v}` } }) },
  { field: 'source folder', accepts: textOnly, input: (v) => ({ ...base, source: { kind: 'folder', path: `/src/${v}` } }) },
];

describe.each(appFields)('the app field $field', ({ accepts, input }) => {
  it.each(Object.keys(PROBES) as Probe[])('is checked against %s on create and on update', (probe) => {
    const created = AppInput.safeParse(input(PROBES[probe]));
    const { serverId: _s, name: _n, ...patch } = input(PROBES[probe]) as Record<string, unknown>;
    const patched = AppPatch.safeParse(patch);
    expect(created.success).toBe(accepts[probe]);
    expect(patched.success).toBe(accepts[probe]);
  });
});

describe('what a refusal says', () => {
  it('names the field, the character and the fix', () => {
    const result = AppInput.safeParse({ ...base, runtime: { healthCheck: { kind: 'http', path: '/h\nx' } } });
    expect(result.error?.issues[0]?.path).toEqual(['runtime', 'healthCheck', 'path']);
    expect(result.error?.issues[0]?.message).toMatch(/^the health path contains a newline: use a URL path such as \/health/);
  });

  it('refuses labels in the berth. namespace, which would pass for Berth\'s own', () => {
    const result = AppInput.safeParse({ ...base, runtime: { labels: { 'berth.domains': 'evil.example.com' } } });
    expect(result.error?.issues[0]?.message).toContain('"berth." namespace');
  });

  it('names an env variable by its key, never by its value', () => {
    const result = AppInput.safeParse({ ...base, runtime: { env: [{ key: 'TOKEN', value: 'sk_live\0', secret: true }] } });
    expect(result.error?.issues[0]?.message).toContain('(TOKEN) contains a NUL byte');
    expect(result.error?.issues[0]?.message).not.toContain('sk_live');
  });

  it('keeps multi-line env values, such as a PEM key', () => {
    expect(AppInput.safeParse({ ...base, runtime: { env: [{ key: 'KEY', value: '-----BEGIN-----\nabc\n-----END-----', secret: true }] } }).success).toBe(true);
  });

  it('takes a wildcard domain only as a whole first label', () => {
    expect(AppInput.safeParse({ ...base, runtime: { domains: ['*.example.com'] } }).success).toBe(true);
    expect(AppInput.safeParse({ ...base, runtime: { domains: ['*x.example.com'] } }).success).toBe(false);
  });

  it('takes a health path with a query', () => {
    expect(AppInput.safeParse({ ...base, runtime: { healthCheck: { kind: 'http', path: '/health?full=1&x=%20' } } }).success).toBe(true);
  });

  it('refuses a git ref that would read as an option', () => {
    expect(AppInput.safeParse({ ...base, source: { kind: 'git', url: 'https://h/a.git', ref: '--upload-pack=x' } }).success).toBe(false);
  });
});

const server = { name: 'prod', host: 'prod.example.com', auth: { kind: 'agent' } };
const serverAdd = serversMethods['servers.add'].input;

interface ServerField {
  field: string;
  accepts: Accepts;
  input: (value: string) => Record<string, unknown>;
}

const serverFields: ServerField[] = [
  { field: 'name', accepts: textOnly, input: (v) => ({ ...server, name: `p${v}` }) },
  { field: 'host', accepts: refusesAll, input: (v) => ({ ...server, host: `h${v}` }) },
  { field: 'user', accepts: wordOnly, input: (v) => ({ ...server, user: `u${v}` }) },
  { field: 'Docker socket', accepts: textOnly, input: (v) => ({ ...server, dockerSocket: `/run/d${v}.sock` }) },
  { field: 'key path', accepts: textOnly, input: (v) => ({ ...server, auth: { kind: 'key', keyPath: `/k/${v}` } }) },
  { field: 'ssh config alias', accepts: wordOnly, input: (v) => ({ ...server, auth: { kind: 'sshConfig', alias: `a${v}` } }) },
  { field: 'proxy image', accepts: refusesAll, input: (v) => ({ ...server, proxy: { image: `haproxy${v}:2.9` } }) },
  { field: 'proxy bind address', accepts: refusesAll, input: (v) => ({ ...server, proxy: { bindAddress: `0.0.0.0${v}` } }) },
];

describe.each(serverFields)('the server field $field', ({ accepts, input }) => {
  it.each(Object.keys(PROBES) as Probe[])('is checked against %s on add and on edit', (probe) => {
    expect(serverAdd.safeParse(input(PROBES[probe])).success).toBe(accepts[probe]);
    expect(ServerPatch.safeParse(input(PROBES[probe])).success).toBe(accepts[probe]);
  });
});

describe('stored records', () => {
  it('stay readable with a value the contract now refuses', () => {
    expect(ServerInput.safeParse({ ...server, host: 'h\nx' }).success).toBe(true);
  });
});

describe('credentials in a URL', () => {
  it('finds a user and token of an https URL', () => {
    expect(urlCredentials('https://bot:ghp_abc@github.com/acme/api.git')).toEqual({ username: 'bot', password: 'ghp_abc' });
  });

  it('counts a lone https user name as a token', () => {
    expect(urlCredentials('https://ghp_abc@github.com/acme/api.git')).toEqual({ username: 'ghp_abc', password: '' });
  });

  it('leaves an ssh user alone', () => {
    expect(urlCredentials('ssh://git@github.com/acme/api.git')).toBeNull();
    expect(urlCredentials('git@github.com:acme/api.git')).toBeNull();
  });

  it('strips and redacts them', () => {
    expect(withoutCredentials('https://bot:t@h/a.git')).toBe('https://h/a.git');
    expect(redactUrl('https://bot:t@h/a.git')).toBe('https://***@h/a.git');
    expect(redactUrlsIn("fatal: unable to access 'https://bot:tok@h/a.git/': refused")).toBe("fatal: unable to access 'https://***@h/a.git/': refused");
  });
});
