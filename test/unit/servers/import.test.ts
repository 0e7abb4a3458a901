import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerContextCandidates, sshConfigCandidates } from '../../../electron/core/servers/import';

function environment(agentSocket?: string) {
  const home = mkdtempSync(join(tmpdir(), 'berth-import-'));
  mkdirSync(join(home, '.ssh'));
  const sshConfigPath = join(home, '.ssh', 'config');
  writeFileSync(sshConfigPath, 'Host prod\n  HostName 198.51.100.4\n  User deploy\n  Port 2200\nHost *.internal\n  User ops\n');
  return { home, sshConfigPath, localUser: 'ana', agentSocket };
}

function writeContext(dockerDir: string, folder: string, meta: unknown): void {
  mkdirSync(join(dockerDir, 'contexts', 'meta', folder), { recursive: true });
  writeFileSync(join(dockerDir, 'contexts', 'meta', folder, 'meta.json'), JSON.stringify(meta));
}

describe('import candidates', () => {
  it('offers each concrete ssh config alias, reached through that alias', () => {
    const env = environment();
    expect(sshConfigCandidates(env.sshConfigPath, env)).toEqual([
      expect.objectContaining({
        source: 'ssh-config',
        name: 'prod',
        input: expect.objectContaining({ host: '198.51.100.4', port: 2200, user: 'deploy', auth: { kind: 'sshConfig', alias: 'prod' } }),
      }),
    ]);
  });

  it('offers Docker contexts with an ssh:// endpoint and ignores the others', () => {
    const env = environment('/run/agent.sock');
    const dockerDir = join(env.home, '.docker');
    writeContext(dockerDir, 'a1', { Name: 'staging', Endpoints: { docker: { Host: 'ssh://deploy@203.0.113.9:2201' } } });
    writeContext(dockerDir, 'b2', { Name: 'desktop', Endpoints: { docker: { Host: 'unix:///var/run/docker.sock' } } });
    expect(dockerContextCandidates(dockerDir, env.sshConfigPath, env)).toEqual([
      expect.objectContaining({
        source: 'docker-context',
        name: 'staging',
        input: expect.objectContaining({ host: '203.0.113.9', port: 2201, user: 'deploy', auth: { kind: 'agent' } }),
      }),
    ]);
  });

  it('reaches a Docker context host that is an ssh config alias through that alias', () => {
    const env = environment();
    const dockerDir = join(env.home, '.docker');
    writeContext(dockerDir, 'c3', { Name: 'prod-ctx', Endpoints: { docker: { Host: 'ssh://prod' } } });
    expect(dockerContextCandidates(dockerDir, env.sshConfigPath, env)[0]?.input.auth).toEqual({ kind: 'sshConfig', alias: 'prod' });
  });

  it('falls back to a default key file when there is no agent', () => {
    const env = environment();
    writeFileSync(join(env.home, '.ssh', 'id_ed25519'), 'key');
    const dockerDir = join(env.home, '.docker');
    writeContext(dockerDir, 'd4', { Name: 'box', Endpoints: { docker: { Host: 'ssh://box.example.com' } } });
    expect(dockerContextCandidates(dockerDir, env.sshConfigPath, env)[0]?.input).toMatchObject({
      user: 'ana',
      port: 22,
      auth: { kind: 'key', keyPath: join(env.home, '.ssh', 'id_ed25519') },
    });
  });

  it('returns nothing when there is no Docker config folder', () => {
    const env = environment();
    expect(dockerContextCandidates(join(env.home, 'missing'), env.sshConfigPath, env)).toEqual([]);
  });
});
