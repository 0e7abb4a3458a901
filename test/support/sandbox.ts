/**
 * Typed access to the test bed that `test/sandbox/up` starts and describes in `STATE/sandbox.json`
 * (STATE is `$BERTH_SANDBOX_DIR`, default `/tmp/berth-sandbox`).
 *
 * Two "servers", s1 and s2: each an sshd on 127.0.0.1 (log in as root with `keyPath`) in front of its own dockerd.
 * s2's daemon is a single-node swarm manager. Both share this machine's filesystem; a remote session can tell
 * which server it is on from `$BERTH_SANDBOX_SERVER`. A registry listens on 127.0.0.1:45000.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type SandboxServerName = 's1' | 's2';

export interface SandboxServer {
  name: SandboxServerName;
  host: string;
  port: number;
  user: string;
  /** Private key authorized on both servers. */
  keyPath: string;
  /** Private key authorized nowhere: authentication with it must fail. */
  wrongKeyPath: string;
  /** OpenSSH-style `SHA256:<base64 without padding>` of this server's own ed25519 host key. */
  hostKeyFingerprint: string;
  hostPublicKeyPath: string;
  authorizedKeysPath: string;
  /** The daemon's unix socket on this machine; from the server's side, the remote `docker` CLI uses it too. */
  dockerSocket: string;
  /** `unix://` + dockerSocket. */
  dockerHost: string;
  /** `docker info` .ID of this server's daemon (distinct per server). */
  dockerId: string;
  swarm: boolean;
  bridge: string;
  /** Address pool of the daemon's user-defined networks (the two servers never overlap). */
  addressPool: string;
  sshdPidFile: string;
  sshdConfig: string;
  sshdLog: string;
  dockerdPidFile: string;
  dockerdLog: string;
}

export interface SandboxRegistry {
  /** `127.0.0.1:45000`: image refs look like `127.0.0.1:45000/berth-test/web:1`. */
  address: string;
  url: string;
  pidFile: string;
  dataDir: string;
  log: string;
}

export interface SandboxImages {
  /** `berth-test/base:latest`: busybox FROM scratch. */
  base: string;
  /** `berth-test/web` repository: tags `1` and `2` answer `v1\n` / `v2\n` on `/`. */
  web: string;
  webTags: string[];
  /** `berth-test/web:1` as pushed to the registry. */
  webPushed: string;
  /** `berth-test/haproxy:2.6`: Debian's HAProxy FROM scratch, ENTRYPOINT haproxy. */
  haproxy: string;
  /** `berth-test/node:20`: this machine's node and npm on the base image, for zero-config Node builds. */
  node: string;
}

export interface SandboxFixtures {
  /** Build context of the versioned web app (see its README.md). */
  webApp: string;
}

export interface SandboxScripts {
  up: string;
  down: string;
  /** `restart-sshd NAME [--down MS | --stop | --start]`; needs root. */
  restartSshd: string;
}

export interface Sandbox {
  dir: string;
  servers: SandboxServer[];
  registry: SandboxRegistry;
  images: SandboxImages;
  fixtures: SandboxFixtures;
  scripts: SandboxScripts;
}

export function sandboxDir(): string {
  return process.env.BERTH_SANDBOX_DIR ?? '/tmp/berth-sandbox';
}

/** Reads sandbox.json; throws when the sandbox was never brought up. */
export function loadSandbox(): Sandbox {
  const path = join(sandboxDir(), 'sandbox.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`sandbox is not up: run \`npm run sandbox:up\` as root (no ${path})`, { cause: error });
    }
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<Sandbox>;
  if (!Array.isArray(parsed.servers) || !parsed.registry || !parsed.images || !parsed.fixtures || !parsed.scripts) {
    throw new Error(`${path} is incomplete: run \`npm run sandbox:up\` as root to rewrite it`);
  }
  return parsed as Sandbox;
}

export function sandboxServer(name: SandboxServerName): SandboxServer {
  const server = loadSandbox().servers.find((candidate) => candidate.name === name);
  if (!server) throw new Error(`the sandbox has no server ${name}: run \`npm run sandbox:up\` as root`);
  return server;
}

export interface RestartSshdOptions {
  /** Keep sshd down this long before starting it again. */
  downMs?: number;
  /** `stop`: kill only; `start`: start only (no-op when running). Default: kill, then start. */
  mode?: 'restart' | 'stop' | 'start';
}

/**
 * Kills a server's sshd together with every session it serves (clients see their connections drop), then starts
 * it again with the same config and host key. Asynchronous so the caller's event loop (and its SSH clients) keep
 * running meanwhile.
 */
export function restartSshd(name: SandboxServerName, options: RestartSshdOptions = {}): Promise<void> {
  const args: string[] = [name];
  if (options.mode === 'stop' || options.mode === 'start') args.push(`--${options.mode}`);
  else if (options.downMs !== undefined) args.push('--down', String(Math.max(0, Math.round(options.downMs))));
  return new Promise((resolve, reject) => {
    execFile('bash', [loadSandbox().scripts.restartSshd, ...args], (error, _stdout, stderr) => {
      if (error) reject(new Error(`restart-sshd ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
      else resolve();
    });
  });
}

/**
 * Stops a server's dockerd (its containers stop with it) and, unless `stop`, starts it again with the same config and
 * waits until it answers; sshd stays up. Asynchronous so the caller's SSH clients keep running meanwhile.
 */
export function restartDockerd(name: SandboxServerName, mode: 'restart' | 'stop' | 'start' = 'restart'): Promise<void> {
  const script = fileURLToPath(new URL('../sandbox/restart-dockerd', import.meta.url));
  const args = mode === 'restart' ? [name] : [name, `--${mode}`];
  return new Promise((resolve, reject) => {
    execFile('bash', [script, ...args], (error, _stdout, stderr) => {
      if (error) reject(new Error(`restart-dockerd ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
      else resolve();
    });
  });
}

/** Stops the sandbox registry, or starts it again (same storage) and waits until it answers. */
export function setRegistry(mode: 'stop' | 'start'): Promise<void> {
  const script = fileURLToPath(new URL('../sandbox/registry', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile('bash', [script, `--${mode}`], (error, _stdout, stderr) => {
      if (error) reject(new Error(`registry --${mode} failed: ${stderr.trim() || error.message}`));
      else resolve();
    });
  });
}
