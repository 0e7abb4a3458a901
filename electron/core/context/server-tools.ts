import type { ServerLink } from '../ssh/server-link';
import { ShellSession } from '../locks/shell-session';
import { PROBE_SCRIPT } from './context-scripts';

/** What a server offers for building from a folder kept on it. */
export interface ServerTools {
  missing: string[];
  /** The daemon the server's docker CLI talks to ('' when none answered). */
  cliDaemon: string;
  cliVersion: string;
  buildx: boolean;
  /** Whether git is on the server's PATH (a git source is then fetched there). */
  git: boolean;
  /** The SSH user's home on the server. */
  home: string;
}

export function parseTools(output: string): ServerTools {
  const tools: ServerTools = { missing: [], cliDaemon: '', cliVersion: '', buildx: false, git: false, home: '' };
  for (const line of output.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const [key, value] = [line.slice(0, eq), line.slice(eq + 1).trim()];
    if (key === 'missing') tools.missing.push(value);
    else if (key === 'daemon') tools.cliDaemon = value;
    else if (key === 'client') tools.cliVersion = value;
    else if (key === 'buildx') tools.buildx = value === 'yes';
    else if (key === 'git') tools.git = value === 'yes';
    else if (key === 'home') tools.home = value;
  }
  return tools;
}

/**
 * Whether a build can run from the server's own copy of the context: it needs GNU tar and find, flock, and a docker
 * CLI that talks to the daemon Berth deploys to. BuildKit through the CLI needs its buildx plugin from Docker 23 on
 * (older CLIs carry their own BuildKit client). Returns why not, or null.
 */
export function whyNoCache(tools: ServerTools, daemonId: string, buildkit: boolean): string | null {
  const missing = tools.missing.filter((m) => !(m === 'GNU tar' && tools.missing.includes('tar')) && !(m === 'GNU find' && tools.missing.includes('find')));
  if (missing.length > 0) return `the server has no ${missing.join(', ')}`;
  if (tools.cliDaemon === '') return 'the docker command on the server reaches no daemon';
  if (tools.cliDaemon !== daemonId) return 'the docker command on the server talks to another daemon than Berth does (set DOCKER_HOST for the SSH user)';
  const major = Number(/^(\d+)\./.exec(tools.cliVersion)?.[1] ?? NaN);
  if (buildkit && !tools.buildx && !(major < 23)) return `the docker command on the server (${tools.cliVersion || 'unknown version'}) has no buildx plugin for BuildKit`;
  return null;
}

const PROBE_TTL_MS = 10 * 60_000;
const probes = new WeakMap<ServerLink, { at: number; tools: Promise<ServerTools | null> }>();

/** The server's tools, asked once per link every few minutes (null when the probe itself could not run). */
export function serverTools(link: ServerLink, signal: AbortSignal): Promise<ServerTools | null> {
  const seen = probes.get(link);
  if (seen && Date.now() - seen.at < PROBE_TTL_MS) return seen.tools;
  const tools = signal.aborted
    ? Promise.resolve(null)
    : ShellSession.of(link)
        .run(PROBE_SCRIPT, 30_000)
        .then((result) => (result.code === 0 ? parseTools(result.output) : null))
        .catch(() => null);
  probes.set(link, { at: Date.now(), tools });
  void tools.then((found) => {
    if (found === null) probes.delete(link);
  });
  return tools;
}
