import { BerthError, type ErrorCode } from '../../shared/errors';

/** What a server presented that Berth did not trust, read from a HOST_KEY_CHANGED or HOST_KEY_UNKNOWN error. */
export interface PresentedKey {
  host: string;
  port: number;
  keyType: string;
  /** The keys trusted before (none for a host seen for the first time, e.g. after `forget-key`). */
  oldFingerprints: string[];
  newFingerprint: string;
  /** OpenSSH known_hosts files that hold an old key: Berth never edits them. */
  knownHostsFiles: string[];
}

export interface TrustChoice {
  /** --yes: trust without asking. */
  yes: boolean;
  /** --fingerprint: trust only this key. */
  expected?: string | undefined;
  interactive: boolean;
}

export type TrustStep = { kind: 'trust' } | { kind: 'ask'; question: string } | { kind: 'refuse'; error: BerthError };

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/** The key a refused connection was offered, or undefined when it failed for another reason. */
export function presentedKeyOf(error: unknown): PresentedKey | undefined {
  if (!(error instanceof BerthError) || !error.details) return undefined;
  const d = error.details;
  if (typeof d.host !== 'string' || typeof d.port !== 'number') return undefined;
  if (error.code === 'HOST_KEY_CHANGED' && typeof d.newFingerprint === 'string') {
    return { host: d.host, port: d.port, keyType: String(d.keyType ?? ''), oldFingerprints: strings(d.oldFingerprints), newFingerprint: d.newFingerprint, knownHostsFiles: strings(d.knownHostsFiles) };
  }
  if (error.code === 'HOST_KEY_UNKNOWN' && typeof d.fingerprint === 'string') {
    return { host: d.host, port: d.port, keyType: String(d.keyType ?? ''), oldFingerprints: [], newFingerprint: d.fingerprint, knownHostsFiles: [] };
  }
  return undefined;
}

export function normaliseFingerprint(fingerprint: string): string {
  const trimmed = fingerprint.trim().replace(/=+$/, '');
  return trimmed.startsWith('SHA256:') ? trimmed : `SHA256:${trimmed}`;
}

/** Whether `berth server trust` may record the presented key now, must ask first, or must refuse (and why). */
export function decideTrust(server: string, key: PresentedKey, choice: TrustChoice): TrustStep {
  const where = key.port === 22 ? key.host : `${key.host}:${key.port}`;
  const was = key.oldFingerprints.length > 0 ? `it was ${key.oldFingerprints.join(', ')} and is now ${key.newFingerprint}` : `it is ${key.newFingerprint}`;
  const refuse = (code: ErrorCode, message: string): TrustStep => ({ kind: 'refuse', error: new BerthError(code, message, { ...key }) });
  if (key.knownHostsFiles.length > 0) {
    return refuse(
      'HOST_KEY_CHANGED',
      `The ${key.keyType} host key of ${where} has changed (${was}), and the old one is in ${key.knownHostsFiles.join(', ')}, which Berth never edits. ` +
        `Once the new key is confirmed, run ssh-keygen -R "${key.port === 22 ? key.host : `[${key.host}]:${key.port}`}" and then \`berth server trust ${server}\`.`,
    );
  }
  if (choice.expected !== undefined && normaliseFingerprint(choice.expected) !== key.newFingerprint) {
    return refuse(
      key.oldFingerprints.length > 0 ? 'HOST_KEY_CHANGED' : 'HOST_KEY_UNKNOWN',
      `${where} presents ${key.newFingerprint}, not ${normaliseFingerprint(choice.expected)} as given with --fingerprint; nothing was trusted. ` +
        `Check the key with the server's administrator.`,
    );
  }
  if (choice.yes || choice.expected !== undefined) return { kind: 'trust' };
  if (choice.interactive) {
    return { kind: 'ask', question: `The ${key.keyType} host key of ${where} (${server}): ${was}.\nTrust ${key.newFingerprint} from now on?` };
  }
  return refuse(
    key.oldFingerprints.length > 0 ? 'HOST_KEY_CHANGED' : 'HOST_KEY_UNKNOWN',
    `The ${key.keyType} host key of ${where} (${server}): ${was}. Nothing was trusted: without a terminal Berth does not ask. ` +
      `Once the new key is confirmed with the server's administrator, run \`berth server trust ${server} --fingerprint ${key.newFingerprint}\` (or --yes).`,
  );
}
