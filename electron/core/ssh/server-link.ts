import type { Duplex, Readable, Writable } from 'node:stream';
import type Docker from 'dockerode';

export interface ExecOptions {
  /** Fed to the command's stdin, then closed. */
  stdin?: Readable | string | Buffer;
  /** Receives stdout as it arrives; when absent stdout is collected (keep such commands' output small). */
  stdout?: Writable;
  stderr?: Writable;
  signal?: AbortSignal;
  /** Fails the command with COMMAND_TIMEOUT after this long; no limit when absent. */
  timeoutMs?: number;
}

export interface ExecResult {
  code: number;
  /** Collected only when no stdout stream was given. */
  stdout: string;
  stderr: string;
}

/**
 * Everything the rest of the engine needs from one server: a Docker client whose every request runs over the
 * server's single SSH link, shell commands on the server, and TCP tunnels to addresses the server can reach
 * (container IPs for health probes, the edge proxy's runtime API).
 * "This computer" implements the same interface without SSH.
 */
export interface ServerLink {
  readonly serverId: string;
  readonly docker: Docker;
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  /** A TCP connection to host:port as seen from the server. */
  forwardOut(host: string, port: number): Promise<Duplex>;
  /** Whether the link currently runs over SSH (false for the local Docker socket). */
  readonly remote: boolean;
}

/** Lease a link: the pool keeps the SSH connection (and reconnects it) while at least one lease is held. */
export interface LinkProvider {
  acquire(serverId: string): Promise<ServerLink>;
  release(serverId: string): void;
}
