import type { AutoDeployWatch } from '../../../shared/api/auto-deploy';
import type { RemoteRef } from './remote-refs';

/** What auto-deploy remembers of an app between checks. */
export interface WatchMemory {
  /** Tags matching the pattern seen so far; null until the first check, which only notes them. */
  tagsSeen: string[] | null;
  /** Commits auto-deploy already started, newest last: each once, also when its deployment failed. */
  started: string[];
}

/** The app's commits a deployment already covers: queued, running or live (by hash, or by the ref it was asked for). */
export interface Covered {
  hashes: ReadonlySet<string>;
  refs: ReadonlySet<string>;
}

export interface WatchPlan {
  /** What the watched branch or newest matching tag points at. */
  seen: { ref: string; hash: string } | null;
  /** The deployment to start: `ref` is what it builds (a branch's commit by hash, so the record names it exactly). */
  deploy: { ref: string; hash: string } | null;
  memory: WatchMemory;
  /** Why nothing could be checked (the branch is not on the remote). */
  problem: string | null;
}

const STARTED_KEPT = 50;

/**
 * One check's decision. A branch deploys its head unless that commit is queued, running or live, or auto-deploy
 * started it before (a failed deployment is not retried on every check). A tag pattern deploys the newest matching
 * tag that appeared since the last check; tags already there on the first check are only noted.
 */
export function planAutoDeploy(watch: AutoDeployWatch, refs: readonly RemoteRef[], memory: WatchMemory, covered: Covered): WatchPlan {
  if (watch.kind === 'branch') {
    const head = refs.find((r) => r.kind === 'branch' && r.name === watch.branch);
    if (!head) return { seen: null, deploy: null, memory, problem: `The remote has no branch ${watch.branch}.` };
    const seen = { ref: watch.branch, hash: head.hash };
    return { seen, ...deployUnlessCovered(watch.branch, head.hash, head.hash, memory, covered), problem: null };
  }
  const matcher = globMatcher(watch.pattern);
  const tags = refs.filter((r) => r.kind === 'tag' && matcher.test(r.name)).sort((a, b) => compareVersions(a.name, b.name));
  const newest = tags.at(-1);
  const seen = newest ? { ref: newest.name, hash: newest.hash } : null;
  const names = tags.map((t) => t.name);
  if (memory.tagsSeen === null) return { seen, deploy: null, memory: { ...memory, tagsSeen: names }, problem: null };
  const known = new Set(memory.tagsSeen);
  const fresh = tags.filter((t) => !known.has(t.name)).at(-1);
  const next = { ...memory, tagsSeen: [...new Set([...memory.tagsSeen, ...names])] };
  if (!fresh) return { seen, deploy: null, memory: next, problem: null };
  return { seen, ...deployUnlessCovered(fresh.name, fresh.name, fresh.hash, next, covered), problem: null };
}

/** `watched` is the branch or tag name a deployment waiting for its clone may have been asked for instead of the hash. */
function deployUnlessCovered(watched: string, ref: string, hash: string, memory: WatchMemory, covered: Covered): Pick<WatchPlan, 'deploy' | 'memory'> {
  const done = memory.started.includes(hash) || covered.hashes.has(hash) || covered.refs.has(hash) || covered.refs.has(watched);
  if (done) return { deploy: null, memory };
  const started = [...memory.started, hash].slice(-STARTED_KEPT);
  return { deploy: { ref, hash }, memory: { ...memory, started } };
}

/** `v*` → /^v.*$/: `*` any run of characters (slashes too), `?` one; everything else literal. */
export function globMatcher(pattern: string): RegExp {
  const body = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

/** `v1.10` after `v1.9`: numbers compared as numbers. */
export function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
