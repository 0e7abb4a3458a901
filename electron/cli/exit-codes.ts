import type { Deployment } from '../../shared/api/deployments';
import type { ServerHealth } from '../../shared/api/servers';
import type { ErrorCode } from '../../shared/errors';

/**
 * Exit codes a script can branch on: the deployment failed, Berth refused to act (nothing was touched), or the
 * server could not be reached. Usage mistakes are 2, as with most Unix tools.
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  refused: 3,
  connection: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const usage: ErrorCode[] = ['INVALID_INPUT', 'UNKNOWN_METHOD', 'ENV_PARSE_ERROR'];

const refused: ErrorCode[] = [
  'IMAGE_GONE',
  'IMAGE_MISSING',
  'NOT_ROLLBACK_CAPABLE',
  'LOCKED',
  'HOST_KEY_UNKNOWN',
  'HOST_KEY_REJECTED',
  'HOST_KEY_CHANGED',
  'SERVER_EXISTS',
  'APP_EXISTS',
  'SERVER_NOT_FOUND',
  'APP_NOT_FOUND',
  'DEPLOYMENT_NOT_FOUND',
  'FORBIDDEN',
  'PREVIEW_LIMIT',
  'PREVIEW_INVALID',
  'ARCHIVE_UNSAFE',
  'ARCHIVE_TOO_LARGE',
  'ARCHIVE_CORRUPT',
  'ARCHIVE_ROOT_MISSING',
];

const connection: ErrorCode[] = [
  'DNS_FAILED',
  'CONNECTION_REFUSED',
  'CONNECT_TIMEOUT',
  'AUTH_FAILED',
  'KEY_UNREADABLE',
  'PASSPHRASE_REQUIRED',
  'SSH_CONFIG_INVALID',
  'SSH_DISCONNECTED',
  'FORWARDING_REFUSED',
  'DOCKER_SOCKET_MISSING',
  'DOCKER_PERMISSION_DENIED',
  'DOCKER_DAEMON_DOWN',
  'SHELL_REFUSED',
];

export function exitCodeFor(code: ErrorCode): ExitCode {
  if (usage.includes(code)) return EXIT.usage;
  if (refused.includes(code)) return EXIT.refused;
  if (connection.includes(code)) return EXIT.connection;
  return EXIT.failed;
}

/**
 * How a finished deployment ends the command: live is success, unless its watch window failed it (it is then rolled
 * back automatically); a run that failed because the server could not be reached, or because Berth refused (the
 * image is gone), says so; anything else that did not stay live is a failure.
 */
export function exitCodeForDeployment(deployment: Pick<Deployment, 'status' | 'error' | 'autoRollback'>): ExitCode {
  if ((deployment.status === 'live' || deployment.status === 'superseded') && !deployment.autoRollback) return EXIT.ok;
  if (deployment.status === 'failed' && deployment.error) {
    const code = exitCodeFor(deployment.error.code);
    if (code === EXIT.refused || code === EXIT.connection) return code;
  }
  return EXIT.failed;
}

/**
 * How `berth status` and `berth server show` end for a server's health: 3 when Berth refused the server's host key,
 * 4 when SSH or Docker does not answer, 1 when the edge proxy or an app's live release is down, 0 when nothing is
 * down (warnings are printed, not failed).
 */
export function exitCodeForHealth(health: Pick<ServerHealth, 'ssh' | 'docker' | 'proxy' | 'apps'>): ExitCode {
  if (health.ssh.state === 'down' && health.ssh.code && exitCodeFor(health.ssh.code) === EXIT.refused) return EXIT.refused;
  if (health.ssh.state === 'down' || health.docker.state === 'down') return EXIT.connection;
  if (health.proxy.state === 'down' || health.apps.some((a) => a.state === 'down')) return EXIT.failed;
  return EXIT.ok;
}
