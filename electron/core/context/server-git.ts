import type { Commit } from '../../../shared/api/deployments';
import { BerthError } from '../../../shared/errors';
import { argumentWord, urlCredentials, withoutCredentials } from '../../../shared/safe-input';
import type { GitCredentials } from '../apps/git-credentials';
import { CREDENTIAL_HELPER, logLines, shellQuote, type ClonedRepo, type CloneTarget } from '../deploy/source-git';
import type { DeploymentLog } from '../logs/deployment-log';
import type { ServerLink } from '../ssh/server-link';

/** `~/.berth/git/<daemon>/<app>.git` (given the SSH user's home): keyed by the daemon like the app's other folders there. */
export function repoCacheDir(home: string, daemonId: string, app: string): string {
  const daemon = daemonId.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'docker';
  return `${home.replace(/\/$/, '')}/.berth/git/${daemon}/${app}.git`;
}

/**
 * The fetch script: into the app's bare repository on the server, only the ref's commit (`--depth 1`), so a repeat
 * fetch brings only the objects that commit added. A commit that is no branch or tag tip (and a server that will not
 * hand out single commits) is found by fetching every branch and tag in full. Prints `commit=<hash>`, then the
 * commit's message. With credentials, they arrive on stdin (two lines) and reach git only through the helper, so they
 * are never in a command line, a process list on the server, the repository's config or git's messages.
 */
export function fetchScript(url: string, dir: string, ref: string, withCredentials: boolean): string {
  const git = withCredentials ? `git -c credential.helper= -c ${shellQuote(`credential.helper=${CREDENTIAL_HELPER}`)}` : 'git';
  const read = withCredentials ? 'IFS= read -r BERTH_GIT_USER; IFS= read -r BERTH_GIT_PASSWORD; export BERTH_GIT_USER BERTH_GIT_PASSWORD\n' : '';
  const u = shellQuote(url);
  const r = shellQuote(ref);
  return `${read}export GIT_TERMINAL_PROMPT=0
d=${shellQuote(dir)}; umask 077; mkdir -p "$d" && chmod 700 "$HOME/.berth" "$HOME/.berth/git" && { [ -f "$d/HEAD" ] || git init --quiet --bare "$d"; } || exit 1
cd "$d" || exit 1
if ${git} fetch --quiet --no-tags --depth 1 -- ${u} ${r}; then
  hash=$(git rev-parse --verify -q 'FETCH_HEAD^{commit}')
else
  echo 'Fetching every branch and tag to find it' >&2
  deep=; [ -f shallow ] && deep=--unshallow
  ${git} fetch --quiet --no-tags --force $deep -- ${u} '+refs/heads/*:refs/berth/heads/*' '+refs/tags/*:refs/berth/tags/*' || exit 3
  hash=$(git rev-parse --verify -q ${shellQuote(`refs/berth/heads/${ref}^{commit}`)} || git rev-parse --verify -q ${shellQuote(`refs/berth/tags/${ref}^{commit}`)} || git rev-parse --verify -q ${shellQuote(`${ref}^{commit}`)}) || exit 4
fi
git update-ref refs/berth/last "$hash" || exit 1
echo "commit=$hash"
git log -1 --format=%B "$hash"`;
}

/**
 * Fetches the ref's commit into the app's repository cache on the server (git over the server's own network and
 * credentials, or the app's sealed ones) and reads its message. The cache stays for the next deploy.
 */
export async function fetchOnServer(link: ServerLink, target: CloneTarget, dir: string, log: DeploymentLog, signal: AbortSignal): Promise<ClonedRepo> {
  const url = withoutCredentials(target.url);
  const credentials = checkedCredentials(target, log);
  log.info(`Fetching ${target.ref} of ${url}${credentials ? ' (with its sealed credentials)' : ''} into the app's repository cache on the server`);
  const fetched = await link.exec(fetchScript(url, dir, target.ref, credentials !== null), {
    signal,
    stderr: logLines(log, 'err'),
    ...(credentials ? { stdin: `${credentials.username}\n${credentials.password}\n` } : {}),
  });
  if (signal.aborted) throw new BerthError('CANCELLED', 'The fetch was cancelled.');
  return resolvedCommit(fetched.code, fetched.stdout, url, target.ref, dir, log);
}

/** The URL and ref checked for the shell, and the credentials to use (masked in the log from here on). */
export function checkedCredentials(target: CloneTarget, log?: Pick<DeploymentLog, 'mask'>): GitCredentials | null {
  for (const [what, value] of [['URL', withoutCredentials(target.url)], ['ref', target.ref]] as const) {
    const why = argumentWord(value);
    if (why !== null) throw new BerthError('GIT_FAILED', `The git ${what} ${why}; fix the app's source (berth app set APP --git URL --ref REF).`);
  }
  const credentials = target.credentials ?? urlCredentials(target.url);
  // a token given as the user name is as secret as a password
  if (credentials) log?.mask([credentials.password || credentials.username]);
  return credentials;
}

function resolvedCommit(code: number, stdout: string, url: string, ref: string, dir: string, log: DeploymentLog): ClonedRepo {
  if (code === 4) throw new BerthError('GIT_FAILED', `${url} has no branch, tag or commit ${shellQuote(ref)}.`);
  if (code !== 0) throw new BerthError('GIT_FAILED', `git fetch of ${url} failed on the server (exit ${code}); see the deployment log.`);
  const [first = '', ...rest] = stdout.split('\n');
  const hash = first.replace(/^commit=/, '').trim();
  if (!/^[0-9a-f]{40,64}$/.test(hash)) throw new BerthError('GIT_FAILED', `${url} has no branch, tag or commit ${shellQuote(ref)}.`);
  const message = rest.join('\n').trim();
  log.info(`Resolved ${ref} to ${hash.slice(0, 12)}: ${message.split('\n')[0] ?? ''}`);
  return { dir, commit: { hash, message } };
}

/** `<hash>` or `<hash>:<sub-folder>`: the tree a build context is taken from. */
export function treeish(commit: Commit, contextDir: string): string {
  const subdir = contextDir.replace(/^\.\/?/, '').replace(/\/$/, '');
  return subdir === '' ? commit.hash : `${commit.hash}:${subdir}`;
}

