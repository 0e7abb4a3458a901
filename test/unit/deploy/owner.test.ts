import { spawn } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { currentOwner, ownedByOtherLiveProcess, ownerLabel } from '../../../electron/core/deploy/owner';

describe('the owner of a deployment record', () => {
  it('is this process on this computer', () => {
    expect(currentOwner()).toEqual({ host: hostname(), pid: process.pid, user: userInfo().username });
  });

  it('is labelled user@host on what it starts, or the host alone for records from before users were kept', () => {
    expect(ownerLabel({ host: 'laptop', pid: 1, user: 'ada' })).toBe('ada@laptop');
    expect(ownerLabel({ host: 'laptop', pid: 1 })).toBe('laptop');
    expect(ownerLabel(undefined)).toBe('');
  });

  it('does not count this process as another one', () => {
    expect(ownedByOtherLiveProcess(currentOwner())).toBe(false);
  });

  it('counts another live Berth process on this computer, so its records are left alone', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    await new Promise((resolve) => child.once('spawn', resolve));
    expect(ownedByOtherLiveProcess({ host: hostname(), pid: child.pid! })).toBe(true);
    child.kill();
    await new Promise((resolve) => child.once('exit', resolve));
    expect(ownedByOtherLiveProcess({ host: hostname(), pid: child.pid! })).toBe(false);
  });

  it('treats records without an owner, or from a process that is gone, as nobody else’s', () => {
    expect(ownedByOtherLiveProcess(undefined)).toBe(false);
    expect(ownedByOtherLiveProcess({ host: hostname(), pid: 2 ** 22 + 17 })).toBe(false);
  });
});
