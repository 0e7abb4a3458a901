import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppInput } from '../../../shared/api/apps';
import type { Deployment } from '../../../shared/api/deployments';
import { AppStore } from '../../../electron/core/apps/app-store';
import { EventBus } from '../../../electron/core/events/event-bus';
import { berthPaths } from '../../../electron/core/home';
import type { ExecOptions, ExecResult, LinkProvider, ServerLink } from '../../../electron/core/ssh/server-link';
import { HomeStore } from '../../../electron/core/store/home-store';
import { KeyFileSecrets } from '../../../electron/core/store/key-file-secrets';
import { AutoDeployService } from '../../../electron/core/watch/auto-deploy-service';
import { AutoDeployStore } from '../../../electron/core/watch/auto-deploy-store';

const HEAD = 'a'.repeat(40);

/** A home with one git app and one folder app, a remote that answers what `remote` says, and the deployments queued. */
async function setup() {
  const home = mkdtempSync(join(tmpdir(), 'berth-auto-'));
  const paths = berthPaths(home);
  const secrets = new KeyFileSecrets(paths.secretKey);
  const apps = new AppStore(paths, secrets);
  await apps.create(AppInput.parse({ serverId: 's1', name: 'web', source: { kind: 'git', url: 'https://example.com/web.git', ref: 'main' } }));
  await apps.create(AppInput.parse({ serverId: 's1', name: 'site', source: { kind: 'folder', path: '/src/site' } }));
  const remote = { answer: { code: 0, stdout: `${HEAD}\trefs/heads/main\n`, stderr: '' } as ExecResult, calls: 0 };
  const link = {
    exec: async (_command: string, _options?: ExecOptions) => {
      remote.calls += 1;
      await new Promise((r) => setTimeout(r, 5));
      return remote.answer;
    },
  } as Pick<ServerLink, 'exec'> as ServerLink;
  const links: LinkProvider = { acquire: async () => link, release: () => undefined };
  const queued: Array<{ ref: string | undefined; trigger: string }> = [];
  const deployments = {
    deploy: (input: { serverId: string; app: string; ref?: string | undefined; trigger: Deployment['trigger'] }) => {
      queued.push({ ref: input.ref, trigger: input.trigger });
      return { id: `web-${queued.length}`, seq: queued.length } as Deployment;
    },
  };
  const releases = { list: () => [], live: () => undefined };
  const service = new AutoDeployService({ records: new AutoDeployStore(HomeStore.open(home)), apps, deployments, releases, links, secrets, bus: new EventBus() });
  return { service, remote, queued };
}

const branchMain = { watch: { kind: 'branch' as const, branch: 'main' }, intervalSec: 60, from: 'server' as const };

describe('AutoDeployService', () => {
  it('deploys the head once, with the trigger auto, and records it', async () => {
    const { service, queued } = await setup();
    service.set('s1', 'web', branchMain);
    const status = await service.check('s1', 'web');
    await service.check('s1', 'web');
    expect(queued).toEqual([{ ref: HEAD, trigger: 'auto' }]);
    expect(status.lastDeployment).toMatchObject({ seq: 1, hash: HEAD });
    expect(status.lastSeen).toEqual({ ref: 'main', hash: HEAD });
  });

  it('runs one check for two asked at once', async () => {
    const { service, remote, queued } = await setup();
    service.set('s1', 'web', branchMain);
    await Promise.all([service.check('s1', 'web'), service.check('s1', 'web')]);
    expect(remote.calls).toBe(1);
    expect(queued).toHaveLength(1);
  });

  it('keeps why the remote could not be asked, and clears it once it answers', async () => {
    const { service, remote, queued } = await setup();
    service.set('s1', 'web', branchMain);
    remote.answer = { code: 128, stdout: '', stderr: 'fatal: unable to access: Could not resolve host: example.com' };
    const failed = await service.check('s1', 'web');
    expect(failed.lastError).toMatchObject({ code: 'GIT_FAILED', message: expect.stringContaining('Could not resolve host') });
    expect(queued).toEqual([]);
    remote.answer = { code: 0, stdout: `${HEAD}\trefs/heads/main\n`, stderr: '' };
    expect((await service.check('s1', 'web')).lastError).toBeNull();
    expect(queued).toHaveLength(1);
  });

  it('asks nothing while paused', async () => {
    const { service, remote } = await setup();
    service.set('s1', 'web', branchMain);
    expect(service.pause('s1', 'web').paused).toBe(true);
    await service.check('s1', 'web');
    expect(remote.calls).toBe(0);
  });

  it('says when the watched branch is not on the remote', async () => {
    const { service } = await setup();
    service.set('s1', 'web', { ...branchMain, watch: { kind: 'branch', branch: 'release' } });
    expect((await service.check('s1', 'web')).lastError?.message).toContain('The remote has no branch release.');
  });

  it('refuses auto-deploy for an app without a git source, saying what to do', async () => {
    const { service } = await setup();
    expect(() => service.set('s1', 'site', branchMain)).toThrow(/watches a git repository, so give it a git source first/);
  });
});
