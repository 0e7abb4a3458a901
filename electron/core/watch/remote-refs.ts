import { BerthError } from '../../../shared/errors';
import { argumentWord, withoutCredentials } from '../../../shared/safe-input';
import type { GitCredentials } from '../apps/git-credentials';
import { gitCommand, shellQuote } from '../deploy/source-git';
import { localExec } from '../ssh/local-exec';
import type { ServerLink } from '../ssh/server-link';

export type RefKind = 'branch' | 'tag' | 'pull';

/** One branch, tag or pull-request head of a remote; a tag's hash is the commit it points at, also when annotated. */
export interface RemoteRef {
  kind: RefKind;
  /** `main`, `v1.2`, or a pull request's number. */
  name: string;
  hash: string;
}

/** Where `git ls-remote` runs: on the server over its SSH link, or on this computer. */
export type RefRunner = Pick<ServerLink, 'exec'>;

export const thisComputer: RefRunner = { exec: localExec };

const PATTERNS: Record<RefKind, string[]> = {
  branch: ['refs/heads/*'],
  tag: ['refs/tags/*'],
  // GitHub's and GitLab's names for the head of a pull (merge) request
  pull: ['refs/pull/*/head', 'refs/merge-requests/*/head'],
};

const PREFIXES: Array<{ kind: RefKind; pattern: RegExp }> = [
  { kind: 'branch', pattern: /^refs\/heads\/(.+)$/ },
  { kind: 'tag', pattern: /^refs\/tags\/(.+?)(\^\{\})?$/ },
  { kind: 'pull', pattern: /^refs\/(?:pull|merge-requests)\/(\d+)\/head$/ },
];

/**
 * The command that lists a remote's refs. SSH remotes are asked in batch mode, so a missing key fails at once
 * instead of waiting for a passphrase nobody can type.
 */
export function lsRemoteCommand(url: string, kinds: RefKind[], withCredentials: boolean): string {
  const patterns = kinds.flatMap((kind) => PATTERNS[kind]).map(shellQuote).join(' ');
  const batch = 'GIT_SSH_COMMAND="${GIT_SSH_COMMAND:-ssh -o BatchMode=yes}"; export GIT_SSH_COMMAND';
  return `${batch}; ${gitCommand(`ls-remote -- ${shellQuote(url)} ${patterns}`, withCredentials)}`;
}

/** Reads `git ls-remote` output: `<hash>\t<ref>` lines, where an annotated tag's `^{}` line names its commit. */
export function parseLsRemote(output: string): RemoteRef[] {
  const refs = new Map<string, RemoteRef>();
  for (const line of output.split('\n')) {
    const match = /^([0-9a-f]{40,64})\t(\S+)$/.exec(line.trim());
    if (!match) continue;
    const [, hash, ref] = match as unknown as [string, string, string];
    for (const { kind, pattern } of PREFIXES) {
      const found = pattern.exec(ref);
      if (!found) continue;
      const name = found[1] ?? '';
      const key = `${kind}:${name}`;
      const peeled = found[2] !== undefined;
      if (peeled || !refs.has(key)) refs.set(key, { kind, name, hash });
      break;
    }
  }
  return [...refs.values()];
}

export interface RefsQuery {
  url: string;
  kinds?: RefKind[];
  credentials: GitCredentials | null;
  signal?: AbortSignal;
}

/** Lists a remote's branches and tags (and pull-request heads when asked) without cloning anything. */
export async function listRemoteRefs(runner: RefRunner, query: RefsQuery): Promise<RemoteRef[]> {
  const url = withoutCredentials(query.url);
  const why = argumentWord(url);
  if (why !== null) throw new BerthError('GIT_FAILED', `The git URL ${why}; fix the app's source (berth app set APP --git URL).`);
  const credentials = query.credentials;
  const result = await runner.exec(lsRemoteCommand(url, query.kinds ?? ['branch', 'tag'], credentials !== null), {
    timeoutMs: 60_000,
    ...(query.signal ? { signal: query.signal } : {}),
    ...(credentials ? { stdin: `${credentials.username}\n${credentials.password}\n` } : {}),
  });
  if (result.code !== 0) {
    const reason = result.stderr.trim().split('\n').slice(-3).join(' ');
    throw new BerthError('GIT_FAILED', `git ls-remote ${url} failed (exit ${result.code}): ${reason || 'no message'}. Check the URL and that the repository can be reached with its credentials.`);
  }
  return parseLsRemote(result.stdout);
}
