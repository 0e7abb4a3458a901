import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { currentOwner, ownedByOtherLiveProcess } from '../../../electron/core/deploy/owner';

describe('the owner of a deployment record', () => {
  it('is this process on this computer', () => {
    expect(currentOwner()).toEqual({ host: hostname(), pid: process.pid });
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
