/**
 * Every failure that crosses the contract carries one of these codes plus a sentence a user can act on.
 * The renderer, the CLI and notifications all key their wording and exit codes off the code.
 */
export const errorCodes = [
  // contract
  'INVALID_INPUT',
  'UNKNOWN_METHOD',
  'FORBIDDEN',
  'INTERNAL',
  // reaching a server
  'DNS_FAILED',
  'CONNECTION_REFUSED',
  'CONNECT_TIMEOUT',
  'AUTH_FAILED',
  'KEY_UNREADABLE',
  'PASSPHRASE_REQUIRED',
  'HOST_KEY_UNKNOWN',
  'HOST_KEY_REJECTED',
  'HOST_KEY_CHANGED',
  'SSH_CONFIG_INVALID',
  'SSH_DISCONNECTED',
  'FORWARDING_REFUSED',
  'DOCKER_SOCKET_MISSING',
  'DOCKER_PERMISSION_DENIED',
  'DOCKER_DAEMON_DOWN',
  'DOCKER_ERROR',
  'COMMAND_TIMEOUT',
  'SHELL_REFUSED',
  // records
  'SERVER_NOT_FOUND',
  'SERVER_EXISTS',
  'APP_NOT_FOUND',
  'APP_EXISTS',
  'DEPLOYMENT_NOT_FOUND',
  'STORE_CORRUPT',
  'SECRET_KEY_INVALID',
  'SECRET_KEY_MISSING',
  // deploying
  'ENV_PARSE_ERROR',
  'SOURCE_INVALID',
  'DOCKERFILE_MISSING',
  'ARCHIVE_UNSAFE',
  'ARCHIVE_TOO_LARGE',
  'ARCHIVE_CORRUPT',
  'ARCHIVE_ROOT_MISSING',
  'BUILD_FAILED',
  'GIT_FAILED',
  'IMAGE_PULL_FAILED',
  'IMAGE_MISSING',
  'START_FAILED',
  'HEALTH_CHECK_FAILED',
  'PROXY_FAILED',
  'DISK_FULL',
  'CANCELLED',
  'INTERRUPTED',
  // previews
  'PREVIEW_INVALID',
  'PREVIEW_LIMIT',
  // rolling back
  'IMAGE_GONE',
  'NOT_ROLLBACK_CAPABLE',
  'LOCKED',
  'REGISTRY_AUTH_FAILED',
  'REGISTRY_ERROR',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** A failure as it crosses the contract; its schema is in error-envelope.ts, so this file stays free of zod. */
export interface ErrorEnvelope {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown> | undefined;
}

export class BerthError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'BerthError';
    this.code = code;
    this.details = details;
  }

  toEnvelope(): ErrorEnvelope {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromEnvelope(envelope: ErrorEnvelope): BerthError {
    return new BerthError(envelope.code, envelope.message, envelope.details);
  }
}

export function isBerthError(value: unknown, code?: ErrorCode): value is BerthError {
  return value instanceof BerthError && (code === undefined || value.code === code);
}

/** Anything thrown that is not already a BerthError becomes INTERNAL, keeping only its message. */
export function toEnvelope(error: unknown): ErrorEnvelope {
  if (error instanceof BerthError) return error.toEnvelope();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Unexpected error: ${message}` };
}
