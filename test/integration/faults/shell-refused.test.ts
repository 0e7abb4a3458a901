import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeployBed, PROXY_PORTS, removeByPrefix, uniquePrefix, type DeployBed } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';

// An SSH user whose login shell is nologin: Docker works through the link (streamlocal needs no shell), but the
// commands Berth runs on the server do not. The user must hear that, not "disconnected" or a Docker error.
const USER = 'berth-nologin';
const prefix = uniquePrefix('nl');
let bed: DeployBed;
let serverId: string;

/** A system account with nologin as its shell, in the docker group, that sshd lets in with the sandbox key. */
function ensureNologinUser(): void {
  const exists = (() => {
    try {
      execFileSync('id', [USER], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  if (!exists) execFileSync('useradd', ['-M', '-d', '/nonexistent', '-s', '/usr/sbin/nologin', '-G', 'docker', USER]);
  // a locked account ("!" as password) is refused by sshd even for keys
  execFileSync('usermod', ['-p', '*', USER]);
}

beforeAll(async () => {
  ensureNologinUser();
  bed = await createDeployBed();
  const s = loadSandbox().servers.find((x) => x.name === 's1')!;
  serverId = (
    await bed.call('servers.add', {
      name: `${prefix}-nologin`,
      host: s.host,
      port: s.port,
      user: USER,
      auth: { kind: 'key', keyPath: s.keyPath },
      dockerSocket: s.dockerSocket,
      proxy: { httpPort: PROXY_PORTS.s1, image: loadSandbox().images.haproxy, bindAddress: '127.0.0.1' },
    })
  ).id;
  await bed.call('apps.create', { serverId, name: `${prefix}-web`, source: { kind: 'image', image: loadSandbox().images.webPushed }, runtime: {} });
});

afterAll(async () => {
  await bed.close();
  await removeByPrefix('s1', prefix);
});

describe('a server whose SSH user has no login shell', () => {
  it('fails a deployment with SHELL_REFUSED, quoting the shell and saying how to fix it', async () => {
    const queued = await bed.call('deployments.deploy', { serverId, app: `${prefix}-web` });
    const done = await bed.waitFor(serverId, queued.id, ['failed', 'live'], 60_000);
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('SHELL_REFUSED');
    expect(done.error?.message).toMatch(/This account is currently not available/);
    expect(done.error?.message).toMatch(/usermod -s \/bin\/sh/);
  });
});
