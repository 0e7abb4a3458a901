import { describe, expect, it } from 'vitest';
import { formatProblems, parseBerthFile } from '../../../electron/core/berth-file/parse-berth-file';

const GOOD = `server:
  host: 203.0.113.7
  user: deploy
  key: ~/.ssh/id_ed25519
app:
  name: web
  source:
    kind: git
    url: https://example.com/acme/web.git
    ref: main
  runtime:
    httpPort: 3000
    domains: [web.example.com]
    healthCheck:
      kind: http
      path: /health
  env:
    NODE_ENV: production
    WORKERS: 4
  secrets: [DATABASE_URL]
`;

function problems(text: string): string {
  const parsed = parseBerthFile(text);
  if (parsed.ok) throw new Error('expected problems');
  return formatProblems('berth.yaml', parsed.problems);
}

describe('parseBerthFile', () => {
  it('reads a whole file with the defaults of the app schemas', () => {
    const parsed = parseBerthFile(GOOD);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.file.server).toMatchObject({ host: '203.0.113.7', port: 22, user: 'deploy', key: '~/.ssh/id_ed25519' });
    expect(parsed.file.app.runtime).toMatchObject({ httpPort: 3000, replicas: 1, domains: ['web.example.com'], healthCheck: { kind: 'http', path: '/health', retries: 15 } });
    expect(parsed.file.app.build.dockerfile).toBe('Dockerfile');
    expect(parsed.file.app.env).toEqual({ NODE_ENV: 'production', WORKERS: '4' });
    expect(parsed.file.app.secrets).toEqual(['DATABASE_URL']);
  });

  it('names the line and the field of a value of the wrong type', () => {
    expect(problems(GOOD.replace('httpPort: 3000', 'httpPort: eighty'))).toBe('berth.yaml:12: app.runtime.httpPort: expected a number, got a string');
  });

  it('names a setting it does not know on its own line', () => {
    expect(problems(GOOD.replace('  user: deploy\n', '  user: deploy\n  colour: red\n'))).toMatch(/^berth\.yaml:4: server\.colour: is not a setting Berth knows/);
  });

  it('reports every problem, in line order', () => {
    const text = GOOD.replace('  name: web', '  name: Web').replace('httpPort: 3000', 'httpPort: 0');
    expect(problems(text).split('\n')).toEqual([
      'berth.yaml:6: app.name: lowercase letters, digits and inner dashes',
      expect.stringMatching(/^berth\.yaml:12: app\.runtime\.httpPort: /),
    ]);
  });

  it('points a missing field at the section it belongs to', () => {
    expect(problems('server:\n  host: x\napp:\n  name: web\n')).toMatch(/^berth\.yaml:4: app\.source: is missing/);
  });

  it('gives the line of a YAML syntax error', () => {
    expect(problems('server:\n  host: [x\napp: 1\n')).toMatch(/^berth\.yaml:3: /);
  });

  it('refuses a secret written in the file', () => {
    expect(problems(GOOD.replace('    WORKERS: 4\n', '    DATABASE_URL: postgres://u:p@db/x\n'))).toMatch(/^berth\.yaml:19: app\.env\.DATABASE_URL: DATABASE_URL is also listed in secrets/);
  });

  it('refuses credentials in a git URL', () => {
    expect(problems(GOOD.replace('https://example.com', 'https://bot:tok@example.com'))).toMatch(/^berth\.yaml:9: app\.source\.url: holds credentials/);
  });

  it('refuses a duplicate key', () => {
    expect(problems(GOOD.replace('  user: deploy\n', '  user: deploy\n  user: root\n'))).toMatch(/^berth\.yaml:4: Map keys must be unique/);
  });
});
