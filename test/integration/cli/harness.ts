/**
 * Runs the real `berth` command, the built dist-cli/berth.cjs that `npx berth` runs, as a child process the way a CI
 * job does: no terminal, no colours, its own BERTH_HOME, and none of this machine's ~/.ssh files.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROXY_PORTS } from '../../support/deploy-bed';
import { loadSandbox, type SandboxServer } from '../../support/sandbox';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const bin = join(repoRoot, 'dist-cli', 'berth.cjs');

// Built once here (only when a source changed) rather than by each of the many processes a suite starts.
execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });

/**
 * s1's edge proxy settings. The proxy is one container per Docker daemon (`berth-proxy`) that keeps the settings it
 * was made with; sharing the other suites' settings keeps this home's entry from warning that they differ.
 */
export const proxy = { port: PROXY_PORTS.s1, image: () => loadSandbox().images.haproxy, bind: '127.0.0.1' };

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function newHome(tag: string): string {
  return mkdtempSync(join(tmpdir(), `berth-cli-${tag}-`));
}

export function cliEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { SSH_AUTH_SOCK: _agent, FORCE_COLOR: _color, ...env } = process.env;
  return {
    ...env,
    BERTH_HOME: home,
    BERTH_KNOWN_HOSTS: join(home, 'no-known-hosts'),
    BERTH_SSH_CONFIG: join(home, 'no-ssh-config'),
    NO_COLOR: '1',
    ...extra,
  };
}

/** Starts `berth ARGS` without waiting for it (stdin closed, so it is never a terminal). */
export function startBerth(home: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env: cliEnv(home, extraEnv) });
  child.stdin.end();
  return child;
}

/** Runs `berth ARGS` to its end. */
export function berth(home: string, args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return settle(startBerth(home, args, options.env), options.timeoutMs ?? 90_000, args);
}

/** Collects a started child's output until it exits (killing it after timeoutMs). */
export function settle(child: ChildProcessWithoutNullStreams, timeoutMs: number, args: string[] = []): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`berth ${args.join(' ')} did not end within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Resolves once the child's stream has printed `count` lines (the lines so far). */
export function linesFrom(stream: NodeJS.ReadableStream, count: number, timeoutMs = 30_000): Promise<string[]> {
  let buffer = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${buffer.split('\n').length - 1} of ${count} lines within ${timeoutMs} ms:\n${buffer}`)), timeoutMs);
    const onData = (chunk: Buffer | string): void => {
      buffer += chunk.toString();
      const lines = buffer.split('\n').slice(0, -1);
      if (lines.length >= count) {
        clearTimeout(timer);
        stream.off('data', onData);
        resolve(lines.slice(0, count));
      }
    };
    stream.on('data', onData);
  });
}

/** The arguments that add a sandbox server with s1's shared proxy settings. */
export function serverAddArgs(name: string, s: SandboxServer, extra: string[] = []): string[] {
  return [
    'server', 'add', name,
    '--host', s.host, '--port', String(s.port), '--user', s.user,
    '--key', s.keyPath, '--socket', s.dockerSocket,
    '--proxy-port', String(proxy.port), '--proxy-image', proxy.image(), '--proxy-bind', proxy.bind,
    ...extra,
  ];
}

/** A TCP port on 127.0.0.1 nothing listens on (taken from the OS, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function parseJson(text: string): unknown {
  return JSON.parse(text) as unknown;
}

/** `script` (util-linux) runs a command on a pseudo-terminal, as a person at a terminal would. */
export const scriptPath = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));

/** Starts `berth ARGS` on a pseudo-terminal; write answers to its stdin, read the terminal from its stdout. */
export function startBerthOnTerminal(home: string, args: string[]): ChildProcessWithoutNullStreams {
  if (!scriptPath) throw new Error('util-linux script is not installed');
  const command = [process.execPath, bin, ...args].map(shellQuote).join(' ');
  return spawn(scriptPath, ['-qec', command, '/dev/null'], { cwd: repoRoot, env: cliEnv(home) });
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
