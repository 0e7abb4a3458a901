import { hostname } from 'node:os';

export interface Owner {
  host: string;
  pid: number;
}

/** This engine's process, recorded on every deployment it queues. */
export function currentOwner(): Owner {
  return { host: hostname(), pid: process.pid };
}

/**
 * Whether another Berth process on this computer (the desktop app while the CLI runs, say) still owns a record.
 * Its records are its own to finish; reconciling them here would tear down a deployment in full swing.
 */
export function ownedByOtherLiveProcess(owner: Owner | null | undefined): boolean {
  if (!owner || owner.host !== hostname() || owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
