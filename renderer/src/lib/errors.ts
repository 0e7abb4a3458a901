import type { ErrorCode, ErrorEnvelope } from '../../../shared/errors';

/** Whatever a call threw, as the envelope the views print: the sentence, with the code small beside it. */
export function toError(error: unknown): ErrorEnvelope {
  if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) {
    const e = error as { code: unknown; message: unknown; details?: unknown };
    const envelope: ErrorEnvelope = { code: String(e.code) as ErrorCode, message: String(e.message) };
    if (typeof e.details === 'object' && e.details !== null) envelope.details = e.details as Record<string, unknown>;
    return envelope;
  }
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/** What to do next, for codes whose engine sentence may not say it. */
const fixes: Partial<Record<ErrorCode, string>> = {
  AUTH_FAILED: 'Check the user name and that the key is in ~/.ssh/authorized_keys on the server.',
  KEY_UNREADABLE: 'Check the key file path; Berth needs read access to it.',
  PASSPHRASE_REQUIRED: 'The key is encrypted: enter its passphrase.',
  CONNECTION_REFUSED: 'Is sshd running and listening on that port?',
  CONNECT_TIMEOUT: 'Check the host, the port and any firewall between you and the server.',
  DNS_FAILED: 'Check the host name.',
  HOST_KEY_CHANGED: 'The server presents a different key than before. If you reinstalled it, remove and re-add the server.',
  DOCKER_PERMISSION_DENIED: 'Add the user to the docker group on the server (usermod -aG docker USER), then reconnect.',
  DOCKER_SOCKET_MISSING: 'Is Docker installed and running on the server? Check the socket path in the server settings.',
  FORWARDING_REFUSED: 'Set AllowStreamLocalForwarding yes in the server’s sshd_config.',
};

export function fixFor(code: string): string | undefined {
  return fixes[code as ErrorCode];
}
