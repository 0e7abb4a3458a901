import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestEngine, keyServer, ownLocalPorts, sandboxServer, trustSandbox, type TestEngine } from './harness';

const run = promisify(execFile);
const s1 = sandboxServer('s1');
const s2 = sandboxServer('s2');

let engine: TestEngine;

afterEach(async () => {
  await engine.close();
});

describe('connecting to a server', () => {
  it('connects with a private key file', async () => {
    engine = createTestEngine();
    trustSandbox(engine);
    const server = await engine.call('servers.add', keyServer(s1));
    await expect(engine.call('servers.connect', { serverId: server.id })).resolves.toMatchObject({ state: 'connected' });
  });

  describe('through ssh-agent', () => {
    let agentSocket: string;
    let agentPid: string;

    beforeAll(async () => {
      const { stdout } = await run('ssh-agent', ['-s']);
      agentSocket = /SSH_AUTH_SOCK=([^;]+);/.exec(stdout)?.[1] ?? '';
      agentPid = /SSH_AGENT_PID=(\d+);/.exec(stdout)?.[1] ?? '';
      await run('ssh-add', [s1.keyPath], { env: { ...process.env, SSH_AUTH_SOCK: agentSocket } });
    });

    afterAll(() => {
      if (agentPid) process.kill(Number(agentPid));
    });

    it('connects with the keys held by the agent', async () => {
      engine = createTestEngine({ env: { SSH_AUTH_SOCK: agentSocket } });
      trustSandbox(engine);
      const server = await engine.call('servers.add', { ...keyServer(s1), auth: { kind: 'agent' } });
      await expect(engine.call('servers.connect', { serverId: server.id })).resolves.toMatchObject({ state: 'connected' });
    });
  });

  it('connects by an ssh config alias that jumps through the other server', async () => {
    const configPath = join(mkdtempSync(join(tmpdir(), 'berth-sshcfg-')), 'config');
    writeFileSync(
      configPath,
      [
        'Host sandbox-jump',
        `  HostName ${s2.host}`,
        `  Port ${s2.port}`,
        `  User ${s2.user}`,
        `  IdentityFile ${s2.keyPath}`,
        'Host s1-behind-s2',
        `  HostName ${s1.host}`,
        `  Port ${s1.port}`,
        `  User ${s1.user}`,
        `  IdentityFile ${s1.keyPath}`,
        '  ProxyJump sandbox-jump',
        '',
      ].join('\n'),
    );
    engine = createTestEngine({ sshConfigPath: configPath });
    trustSandbox(engine);
    const server = await engine.call('servers.add', { ...keyServer(s1), auth: { kind: 'sshConfig', alias: 's1-behind-s2' } });
    await expect(engine.call('servers.connect', { serverId: server.id })).resolves.toMatchObject({ state: 'connected' });
    // s1's sshd is reached from s2's sshd, not from this process.
    const { stdout } = await run('ss', ['-Htnp', 'state', 'established', `( dport = :${s1.port} )`]);
    const viaJump = stdout.split('\n').filter((line) => line.includes('"sshd'));
    expect(viaJump.length).toBeGreaterThan(0);
    const overview = await engine.call('servers.overview', { serverId: server.id });
    expect(overview.docker?.dockerRootDir).toContain('/s1/');
  });

  it('imports an ssh config alias and connects through it', async () => {
    const configPath = join(mkdtempSync(join(tmpdir(), 'berth-sshcfg-')), 'config');
    writeFileSync(configPath, `Host sandbox-one\n  HostName ${s1.host}\n  Port ${s1.port}\n  User ${s1.user}\n  IdentityFile ${s1.keyPath}\n`);
    engine = createTestEngine({ sshConfigPath: configPath });
    trustSandbox(engine);
    const candidates = await engine.call('servers.importCandidates', { sshConfigPath: configPath });
    expect(candidates).toEqual([expect.objectContaining({ source: 'ssh-config', name: 'sandbox-one' })]);
    const server = await engine.call('servers.add', { ...candidates[0]?.input, dockerSocket: s1.dockerSocket });
    await expect(engine.call('servers.connect', { serverId: server.id })).resolves.toMatchObject({ state: 'connected' });
  });

  it('imports a Docker context with an ssh:// endpoint and connects through it', async () => {
    engine = createTestEngine();
    trustSandbox(engine);
    mkdirSync(join(engine.home, '.ssh'));
    copyFileSync(s2.keyPath, join(engine.home, '.ssh', 'id_ed25519'));
    const metaDir = join(engine.home, '.docker', 'contexts', 'meta', 'c0ffee');
    mkdirSync(metaDir, { recursive: true });
    writeFileSync(join(metaDir, 'meta.json'), JSON.stringify({ Name: 'sandbox-two', Endpoints: { docker: { Host: `ssh://${s2.user}@${s2.host}:${s2.port}` } } }));
    const candidates = await engine.call('servers.importCandidates', { dockerConfigDir: join(engine.home, '.docker') });
    expect(candidates).toEqual([expect.objectContaining({ source: 'docker-context', name: 'sandbox-two' })]);
    const server = await engine.call('servers.add', { ...candidates[0]?.input, dockerSocket: s2.dockerSocket });
    await expect(engine.call('servers.connect', { serverId: server.id })).resolves.toMatchObject({ state: 'connected' });
  });

  it('reaches a server the new way after its connection settings change', async () => {
    engine = createTestEngine();
    trustSandbox(engine);
    const server = await engine.call('servers.add', keyServer(s1));
    await engine.call('servers.connect', { serverId: server.id });
    await engine.call('servers.update', { serverId: server.id, patch: { port: s2.port, dockerSocket: s2.dockerSocket } });
    await engine.call('servers.connect', { serverId: server.id });
    const overview = await engine.call('servers.overview', { serverId: server.id });
    expect(overview.docker?.swarm).toBe('active');
  });

  it('keeps the connection when only a label or colour changes', async () => {
    engine = createTestEngine();
    trustSandbox(engine);
    const server = await engine.call('servers.add', keyServer(s1));
    await engine.call('servers.connect', { serverId: server.id });
    const before = await ownLocalPorts(s1.port);
    await engine.call('servers.update', { serverId: server.id, patch: { label: 'staging', color: '#22aa66' } });
    await engine.call('servers.connect', { serverId: server.id });
    await expect(ownLocalPorts(s1.port)).resolves.toEqual(before);
  });

  it('reaches "This computer" through the local Docker socket, without SSH', async () => {
    engine = createTestEngine({ localDockerSocket: s1.dockerSocket });
    const servers = await engine.call('servers.list', {});
    expect(servers[0]).toMatchObject({ id: 'local', builtin: true });
    const link = await engine.pool.acquire('local');
    expect(link.remote).toBe(false);
    const [info, echo] = await Promise.all([link.docker.info(), link.exec('echo local')]);
    engine.pool.release('local');
    expect(info.DockerRootDir).toContain('/s1/');
    expect(echo).toMatchObject({ code: 0, stdout: 'local\n' });
  });
});
