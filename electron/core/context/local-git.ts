import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { extract, type ExtractOptions } from 'tar-fs';
import type { Commit } from '../../../shared/api/deployments';
import { BerthError } from '../../../shared/errors';
import { withoutCredentials } from '../../../shared/safe-input';
import type { DeploymentLog } from '../logs/deployment-log';
import { CREDENTIAL_HELPER, type CloneTarget } from '../deploy/source-git';
import { checkedCredentials } from './server-git';

export interface LocalCheckout {
  /** The commit's files, a folder of this computer. */
  folder: string;
  commit: Commit;
}

/**
 * Fetches a git source on this computer, for a server without git: only the ref's commit into the app's bare
 * repository cache (`<cache>/repo.git`), its files written to `<cache>/tree`. Credentials reach git only through
 * its environment and a helper, never its arguments.
 */
export async function fetchLocally(target: CloneTarget, cache: string, log: DeploymentLog, signal: AbortSignal): Promise<LocalCheckout> {
  const url = withoutCredentials(target.url);
  const credentials = checkedCredentials(target, log);
  const repo = join(cache, 'repo.git');
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', ...(credentials ? { BERTH_GIT_USER: credentials.username, BERTH_GIT_PASSWORD: credentials.password } : {}) };
  const helper = credentials ? ['-c', 'credential.helper=', '-c', `credential.helper=${CREDENTIAL_HELPER}`] : [];
  const git = (args: string[], options: { quiet?: boolean } = {}) => runGit([...helper, ...args], { cwd: repo, env, signal, log, quiet: options.quiet ?? false });

  mkdirSync(cache, { recursive: true, mode: 0o700 });
  if (!existsSync(join(repo, 'HEAD'))) await runGit(['init', '--quiet', '--bare', repo], { cwd: cache, env, signal, log, quiet: false });
  log.info(`Fetching ${target.ref} of ${url}${credentials ? ' (with its sealed credentials)' : ''} on this computer`);
  let hash = '';
  if ((await git(['fetch', '--quiet', '--no-tags', '--depth', '1', '--', url, target.ref])).code === 0) {
    hash = (await git(['rev-parse', '--verify', '-q', 'FETCH_HEAD^{commit}'], { quiet: true })).stdout.trim();
  } else {
    log.info('Fetching every branch and tag to find it');
    const deep = existsSync(join(repo, 'shallow')) ? ['--unshallow'] : [];
    const all = await git(['fetch', '--quiet', '--no-tags', '--force', ...deep, '--', url, '+refs/heads/*:refs/berth/heads/*', '+refs/tags/*:refs/berth/tags/*']);
    if (all.code !== 0) throw new BerthError('GIT_FAILED', `git fetch of ${url} failed on this computer (exit ${all.code}); see the deployment log.`);
    for (const name of [`refs/berth/heads/${target.ref}`, `refs/berth/tags/${target.ref}`, target.ref]) {
      const found = await git(['rev-parse', '--verify', '-q', `${name}^{commit}`], { quiet: true });
      if (found.code === 0) {
        hash = found.stdout.trim();
        break;
      }
    }
  }
  if (!/^[0-9a-f]{40,64}$/.test(hash)) throw new BerthError('GIT_FAILED', `${url} has no branch, tag or commit '${target.ref}'.`);
  await git(['update-ref', 'refs/berth/last', hash], { quiet: true });
  const message = (await git(['log', '-1', '--format=%B', hash], { quiet: true })).stdout.trim();
  log.info(`Resolved ${target.ref} to ${hash.slice(0, 12)}: ${message.split('\n')[0] ?? ''}`);

  const folder = join(cache, 'tree');
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const archive = spawn('git', ['archive', '--format=tar', hash], { cwd: repo, env, signal, stdio: ['ignore', 'pipe', 'pipe'] });
  archive.stderr.on('data', (chunk: Buffer) => log.chunk('err', chunk));
  const exited = new Promise<number>((resolve) => archive.on('close', (code) => resolve(code ?? 255)));
  // modes as git archive wrote them, as when the server itself unpacks the commit
  const keepModes: ExtractOptions & { umask: number } = { umask: 0 };
  await pipeline(archive.stdout, extract(folder, keepModes));
  if ((await exited) !== 0) throw new BerthError('GIT_FAILED', `git archive of ${hash.slice(0, 12)} failed on this computer.`);
  return { folder, commit: { hash, message } };
}

interface GitRun {
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  log: DeploymentLog;
  /** Keeps stderr out of the log (a probe whose failure is an answer). */
  quiet: boolean;
}

function runGit(args: string[], run: GitRun): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: run.cwd, env: run.env, signal: run.signal, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      if (!run.quiet) run.log.chunk('err', chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (run.signal.aborted) reject(new BerthError('CANCELLED', 'The fetch was cancelled.'));
      else if (error.code === 'ENOENT') reject(new BerthError('GIT_FAILED', 'This computer has no git to fetch the source with (the server has none, or the app fetches on this computer): install git here or on the server.'));
      else reject(new BerthError('GIT_FAILED', `git could not run on this computer: ${error.message}`));
    });
    child.on('close', (code) => resolve({ code: code ?? 255, stdout: Buffer.concat(out).toString('utf8') }));
  });
}
