import { describe, expect, it } from 'vitest';
import { definitionsFrom, expandPath } from '../../../electron/core/berth-file/definitions';
import { parseBerthFile } from '../../../electron/core/berth-file/parse-berth-file';

const TEXT = `server:
  host: 10.0.0.5
  port: 2222
  key: \${CI_KEY_DIR}/id
  proxy: { httpPort: 8080 }
app:
  name: api
  source: { kind: folder, path: ./service }
  env: { MODE: prod }
  secrets: [TOKEN, DB_URL]
`;

function file() {
  const parsed = parseBerthFile(TEXT);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.file;
}

describe('definitionsFrom', () => {
  it('makes the server and app inputs, secrets from the environment and paths from the file folder', () => {
    const defs = definitionsFrom(file(), { dir: '/repo', home: '/home/ci', env: { CI_KEY_DIR: '/run/keys', TOKEN: 't0k', DB_URL: 'pg://x' }, storedSecrets: new Set() });
    expect(defs.server).toMatchObject({ name: '10.0.0.5', host: '10.0.0.5', port: 2222, auth: { kind: 'key', keyPath: '/run/keys/id' }, proxy: { httpPort: 8080, bindAddress: '0.0.0.0' } });
    expect(defs.app.source).toEqual({ kind: 'folder', path: '/repo/service' });
    expect(defs.app.runtime?.env).toEqual([
      { key: 'MODE', value: 'prod', secret: false },
      { key: 'TOKEN', value: 't0k', secret: true },
      { key: 'DB_URL', value: 'pg://x', secret: true },
    ]);
    expect(defs.secretsFromEnv).toEqual(['TOKEN', 'DB_URL']);
  });

  it('keeps a secret this home holds when the environment has none', () => {
    const defs = definitionsFrom(file(), { dir: '/repo', home: '/h', env: { CI_KEY_DIR: '/k', TOKEN: 't' }, storedSecrets: new Set(['DB_URL']) });
    expect(defs.app.runtime?.env).toContainEqual({ key: 'DB_URL', secret: true });
  });

  it('names every secret without a value and how to give one', () => {
    expect(() => definitionsFrom(file(), { dir: '/repo', home: '/h', env: { CI_KEY_DIR: '/k' }, storedSecrets: new Set() })).toThrow(
      /secrets TOKEN, DB_URL, with no value: set the environment variables/,
    );
  });
});

describe('expandPath', () => {
  it('expands ~ and variables, and names a variable that is not set', () => {
    expect(expandPath('~/.ssh/id', { home: '/home/u', env: {} })).toBe('/home/u/.ssh/id');
    expect(expandPath('$KEYS/id', { home: '/h', env: { KEYS: '/k' } })).toBe('/k/id');
    expect(() => expandPath('$NOPE/id', { home: '/h', env: {} })).toThrow(/\$NOPE, which is not set/);
  });
});
