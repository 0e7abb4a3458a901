import { BerthError, type ErrorCode } from '../../../shared/errors';

export interface ConnectContext {
  host: string;
  port: number;
  user: string;
  /** Authentication methods tried, in order, for AUTH_FAILED's sentence. */
  tried?: readonly string[];
  /** Set when the failing hop is a jump host on the way to another server. */
  via?: string;
}

/** Failures the pool retries by itself; everything else (auth, host keys, configuration) needs the user. */
const retryable: ReadonlySet<ErrorCode> = new Set(['DNS_FAILED', 'CONNECTION_REFUSED', 'CONNECT_TIMEOUT', 'SSH_DISCONNECTED']);

export function isRetryable(error: unknown): boolean {
  return error instanceof BerthError && retryable.has(error.code);
}

interface RawError {
  code?: unknown;
  level?: unknown;
  message?: unknown;
}

/** Turns what net and ssh2 throw while connecting into a coded error with a sentence that says what to do. */
export function connectError(error: unknown, context: ConnectContext): BerthError {
  if (error instanceof BerthError) return error;
  const raw = (typeof error === 'object' && error !== null ? error : {}) as RawError;
  const code = typeof raw.code === 'string' ? raw.code : '';
  const message = typeof raw.message === 'string' ? raw.message : String(error);
  const where = `${context.host}:${context.port}`;
  const prefix = context.via ? `Jump host ${where} (on the way to ${context.via}): ` : '';
  const details = { host: context.host, port: context.port, cause: message };
  const make = (errorCode: ErrorCode, sentence: string, extra: Record<string, unknown> = {}): BerthError =>
    new BerthError(errorCode, prefix + sentence, { ...details, ...extra });

  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL' || raw.level === 'client-dns') {
    return make('DNS_FAILED', `The name "${context.host}" could not be resolved. Check the host name for typos, or your DNS or VPN.`);
  }
  if (code === 'ECONNREFUSED') {
    return make('CONNECTION_REFUSED', `${where} refused the connection. Check that sshd runs on that server and listens on port ${context.port}, and that no firewall rejects it.`);
  }
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || raw.level === 'client-timeout') {
    return make('CONNECT_TIMEOUT', `${where} did not answer in time (${message}). Check that the server is up and that port ${context.port} is reachable from this computer.`);
  }
  if (raw.level === 'client-authentication') {
    const tried = context.tried && context.tried.length > 0 ? context.tried.join(', ') : 'no method (no key and no ssh-agent)';
    return make(
      'AUTH_FAILED',
      `${where} did not accept ${context.user}'s credentials. Tried: ${tried}. Check that the public key is in ~${context.user}/.ssh/authorized_keys on the server, or pick another key.`,
      { tried: context.tried ?? [] },
    );
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /before handshake|identification|protocol/i.test(message) || raw.level === 'protocol') {
    return make('SSH_DISCONNECTED', `${where} closed the connection during the SSH handshake (${message}). Check that it is an SSH server and see its sshd log.`);
  }
  return make('SSH_DISCONNECTED', `The SSH connection to ${where} failed: ${message}.`);
}

export function disconnectedError(label: string, reason?: string): BerthError {
  return new BerthError('SSH_DISCONNECTED', `The SSH connection to ${label} dropped${reason ? ` (${reason})` : ''}. Berth reconnects by itself; try again in a moment.`);
}

/** A refused channel (`reason` 1 is OpenSSH's "administratively prohibited": the forwarding kind is disabled). */
export function channelOpenError(error: unknown, what: string, server: string): BerthError {
  if (error instanceof BerthError) return error;
  const raw = (typeof error === 'object' && error !== null ? error : {}) as { reason?: unknown; message?: unknown };
  const message = typeof raw.message === 'string' ? raw.message : String(error);
  if (raw.reason === 1 || /prohibited/i.test(message)) {
    return new BerthError('FORWARDING_REFUSED', `sshd on ${server} refused to open ${what}. Allow it in sshd_config (AllowTcpForwarding / AllowStreamLocalForwarding yes).`, {
      cause: message,
    });
  }
  if (raw.reason === 2 || /connect failed|refused/i.test(message)) {
    return new BerthError('CONNECTION_REFUSED', `${what} refused the connection, as seen from ${server}.`, { cause: message });
  }
  return new BerthError('SSH_DISCONNECTED', `${server} could not open ${what}: ${message}.`, { cause: message });
}

export type SocketProblem = 'missing' | 'denied' | 'daemon-down' | 'forwarding-refused';

export function dockerSocketError(problem: SocketProblem, socketPath: string, server: string, user: string): BerthError {
  switch (problem) {
    case 'missing':
      return new BerthError('DOCKER_SOCKET_MISSING', `There is no Docker socket at ${socketPath} on ${server}. Install or start Docker there, or set the server's Docker socket path if it uses another one.`, {
        socketPath,
      });
    case 'denied':
      return new BerthError('DOCKER_PERMISSION_DENIED', `${user} may not use ${socketPath} on ${server}. Add the user to the docker group (sudo usermod -aG docker ${user}), then reconnect.`, {
        socketPath, user,
      });
    case 'daemon-down':
      return new BerthError('DOCKER_DAEMON_DOWN', `The Docker daemon on ${server} is not answering on ${socketPath}. Start it (for example sudo systemctl start docker) and try again.`, {
        socketPath,
      });
    case 'forwarding-refused':
      return new BerthError('FORWARDING_REFUSED', `${server} could not open ${socketPath}: either no Docker daemon listens on it, or sshd refuses to forward unix sockets (and there is no docker CLI to fall back on). Start Docker, or set AllowStreamLocalForwarding yes in sshd_config.`, {
        socketPath,
      });
  }
}

/** Errors of a Docker API call, which arrive coded from the SSH layer or raw from a local socket or the daemon. */
export function dockerCallError(error: unknown, socketPath: string, server: string, user: string): BerthError {
  if (error instanceof BerthError) return error;
  const raw = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; statusCode?: unknown; message?: unknown };
  if (raw.code === 'ENOENT') return dockerSocketError('missing', socketPath, server, user);
  if (raw.code === 'EACCES' || raw.code === 'EPERM') return dockerSocketError('denied', socketPath, server, user);
  if (raw.code === 'ECONNREFUSED') return dockerSocketError('daemon-down', socketPath, server, user);
  const message = typeof raw.message === 'string' ? raw.message.trim() : String(error);
  return new BerthError('DOCKER_ERROR', `Docker on ${server} answered with an error: ${message}`, {
    ...(typeof raw.statusCode === 'number' ? { statusCode: raw.statusCode } : {}),
  });
}
