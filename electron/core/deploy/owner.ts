import { hostname, userInfo } from 'node:os';

export interface Owner {
  host: string;
  pid: number;
  /** The account on this computer; with the host, how other Berths name who made a deployment. */
  user?: string;
}

/** This engine's process, recorded on every deployment it queues. */
export function currentOwner(): Owner {
  return { host: hostname(), pid: process.pid, user: userInfo().username };
}

/** `user@host`, as put on the containers and services of a release so any Berth can say who deployed what runs. */
export function ownerLabel(owner: Owner | null | undefined): string {
  if (!owner) return '';
  return owner.user ? `${owner.user}@${owner.host}` : owner.host;
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
