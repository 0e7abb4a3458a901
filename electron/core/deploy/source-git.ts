import { PassThrough, Writable, type Readable } from 'node:stream';
import type { Commit } from '../../../shared/api/deployments';
import { BerthError } from '../../../shared/errors';
import { argumentWord, urlCredentials, withoutCredentials } from '../../../shared/safe-input';
import type { GitCredentials } from '../apps/git-credentials';
import type { DeploymentLog } from '../logs/deployment-log';
import { shellQuote } from '../ssh/remote-exec';
import type { ServerLink } from '../ssh/server-link';
import { withExtraFiles, type ExtraFile } from './context-files';

export { shellQuote };

export interface ClonedRepo {
  dir: string;
  commit: Commit;
}

export interface CloneTarget {
  url: string;
  ref: string;
  /** Sealed with the app; when the URL itself still holds credentials (an older record) they are taken from it. */
  credentials: GitCredentials | null;
}

/** What a clone writes to: a deployment's log, or nothing when only a build plan is asked for. */
export type CloneLog = Pick<DeploymentLog, 'mask' | 'info' | 'lines' | 'chunk'>;

/** A credential helper that answers from two variables the shell read from stdin: no secret in any argv. */
export const CREDENTIAL_HELPER = '!f() { test "$1" = get && printf "username=%s\\npassword=%s\\n" "$BERTH_GIT_USER" "$BERTH_GIT_PASSWORD"; }; f';

/**
 * A git command line (its arguments already quoted). With credentials, they arrive on stdin (two lines) and reach git
 * only through the helper, so they are never in a command line, a process list, a clone's .git/config or git's messages.
 */
export function gitCommand(args: string, withCredentials: boolean): string {
  if (!withCredentials) return `GIT_TERMINAL_PROMPT=0 git ${args}`;
  const read = 'IFS= read -r BERTH_GIT_USER; IFS= read -r BERTH_GIT_PASSWORD; export BERTH_GIT_USER BERTH_GIT_PASSWORD GIT_TERMINAL_PROMPT=0';
  return `${read}; git -c credential.helper= -c ${shellQuote(`credential.helper=${CREDENTIAL_HELPER}`)} ${args}`;
}

/**
 * A clone fetches branches and tags only; a pull-request head (`refs/pull/12/head`) or any other ref under refs/
 * is fetched too by one more refspec, and then resolves as `origin/<ref>` like a branch.
 */
export function cloneCommand(url: string, dir: string, withCredentials: boolean, ref?: string): string {
  const extra = ref && /^refs\/(?!heads\/|tags\/)/.test(ref) ? `-c ${shellQuote(`remote.origin.fetch=+${ref}:refs/remotes/origin/${ref}`)} ` : '';
  return gitCommand(`clone --quiet --no-checkout ${extra}-- ${shellQuote(url)} ${shellQuote(dir)}`, withCredentials);
}

/**
 * Clones a repository on the server (git over the server's own network and credentials, or the app's sealed ones),
 * resolves the ref (a branch, a tag or a commit) to one commit and reads its message. The clone lives in a
 * temporary folder that `removeClone` deletes.
 */
export async function cloneOnServer(link: ServerLink, target: CloneTarget, log: CloneLog, signal: AbortSignal): Promise<ClonedRepo> {
  const ref = target.ref;
  const url = withoutCredentials(target.url);
  const credentials = target.credentials ?? urlCredentials(target.url);
  for (const [what, value] of [['URL', url], ['ref', ref]] as const) {
    const why = argumentWord(value);
    if (why !== null) throw new BerthError('GIT_FAILED', `The git ${what} ${why}; fix the app's source (berth app set APP --git URL --ref REF).`);
  }
  // a token given as the user name is as secret as a password
  if (credentials) log.mask([credentials.password || credentials.username]);
  const made = await link.exec('mktemp -d /tmp/berth-git-XXXXXXXX', { signal, timeoutMs: 30_000 });
  const dir = made.stdout.trim();
  if (made.code !== 0 || !dir.startsWith('/tmp/berth-git-')) {
    throw new BerthError('GIT_FAILED', `Could not make a folder for the clone on the server: ${made.stderr.trim()}`);
  }
  try {
    log.info(`Cloning ${url}${credentials ? ' (with its sealed credentials)' : ''} on the server`);
    const clone = await link.exec(cloneCommand(url, dir, credentials !== null, ref), {
      signal,
      stderr: logLines(log, 'err'),
      ...(credentials ? { stdin: `${credentials.username}\n${credentials.password}\n` } : {}),
    });
    if (signal.aborted) throw new BerthError('CANCELLED', 'The clone was cancelled.');
    if (clone.code !== 0) throw new BerthError('GIT_FAILED', `git clone of ${url} failed on the server (exit ${clone.code}); see the deployment log.`);
    const q = shellQuote(ref);
    const resolved = await link.exec(
      `cd ${shellQuote(dir)} && { git rev-parse --verify -q ${shellQuote(`origin/${ref}^{commit}`)} || git rev-parse --verify -q ${shellQuote(`${ref}^{commit}`)}; }`,
      { signal, timeoutMs: 30_000 },
    );
    const hash = resolved.stdout.trim().split('\n')[0] ?? '';
    if (resolved.code !== 0 || !/^[0-9a-f]{40,64}$/.test(hash)) {
      throw new BerthError('GIT_FAILED', `${url} has no branch, tag or commit ${q}.`);
    }
    const shown = await link.exec(`git -C ${shellQuote(dir)} log -1 --format=%B ${hash}`, { signal, timeoutMs: 30_000 });
    const message = shown.stdout.trim();
    log.info(`Resolved ${ref} to ${hash.slice(0, 12)}: ${message.split('\n')[0] ?? ''}`);
    return { dir, commit: { hash, message } };
  } catch (error) {
    await removeClone(link, dir);
    throw error;
  }
}

/**
 * The commit's tree (or a sub-folder of it) as a tar stream, produced by `git archive` on the server, with the extra
 * files added on the way.
 */
export function archiveFromServer(
  link: ServerLink,
  repo: ClonedRepo,
  contextDir: string,
  log: DeploymentLog,
  signal: AbortSignal,
  extraFiles: readonly ExtraFile[] = [],
): Readable {
  const out = new PassThrough();
  const subdir = contextDir.replace(/^\.\/?/, '').replace(/\/$/, '');
  const treeish = subdir === '' ? repo.commit.hash : `${repo.commit.hash}:${subdir}`;
  link
    .exec(`git -C ${shellQuote(repo.dir)} archive --format=tar ${shellQuote(treeish)}`, { signal, stdout: out, stderr: logLines(log, 'err') })
    .then((result) => {
      if (result.code !== 0) out.destroy(new BerthError('GIT_FAILED', `git archive of ${treeish} failed on the server (exit ${result.code}).`));
      else out.end();
    })
    .catch((error: unknown) => out.destroy(error as Error));
  return withExtraFiles(out, extraFiles);
}

export async function removeClone(link: ServerLink, dir: string): Promise<void> {
  if (!dir.startsWith('/tmp/berth-git-')) return;
  await link.exec(`rm -rf ${shellQuote(dir)}`, { timeoutMs: 60_000 }).catch(() => undefined);
}

export function logLines(log: CloneLog, stream: 'out' | 'err'): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      log.chunk(stream, chunk);
      done();
    },
  });
}
