import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { HostKeyPrompt } from '../../../shared/api/servers';
import { BerthError } from '../../../shared/errors';
import type { EventBus } from '../events/event-bus';
import { HomeStore } from '../store/home-store';
import type { StoreDocument } from '../store/store-document';
import { fingerprintOf, hostToken, keyTypeOf, lookupKnownHosts, parseKnownHosts } from './known-hosts';

/** How an error names Berth's own record of accepted keys, as opposed to an OpenSSH known_hosts file. */
const BERTH_STORE = "Berth's trusted hosts";

interface TrustedHost {
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
  key: string;
  addedAt: string;
}

interface TrustFile {
  version: 1;
  hosts: TrustedHost[];
}

interface KnownKey {
  keyType: string;
  key: Buffer;
  revoked: boolean;
  source: string;
}

interface PendingPrompt {
  prompt: HostKeyPrompt;
  key: Buffer;
  waiters: Array<{ resolve: () => void; reject: (error: BerthError) => void }>;
}

export interface HostKeyTrustOptions {
  bus: EventBus;
  /** Berth's home, whose database keeps the host keys accepted in Berth. */
  home: string;
  /** OpenSSH known_hosts files to honour (read-only: Berth records what it accepts in its own store). */
  knownHostsPaths: string[];
  /** Fingerprints accepted for hosts seen for the first time, as `--accept-host-key` does in the CLI. */
  trustedFingerprints?: string[];
}

export interface VerifyOptions {
  signal?: AbortSignal;
  onPrompt?: (prompt: HostKeyPrompt) => void;
}

/**
 * Decides whether a server's host key may be trusted, the way OpenSSH does: a key recorded for host:port (in
 * known_hosts or Berth's own store) is accepted, a different key of the same type is refused, and an unknown host
 * is put to the user as a `hostKeys.prompt` event. Nothing is ever accepted without a record or an answer.
 */
export class HostKeyTrust {
  private readonly store: StoreDocument<TrustFile>;
  private readonly pending = new Map<string, PendingPrompt>();
  private readonly preTrusted = new Set<string>();
  private interactive = true;

  constructor(private readonly options: HostKeyTrustOptions) {
    this.store = HomeStore.open(options.home).document<TrustFile>('trusted-hosts', () => ({ version: 1, hosts: [] }));
    for (const fingerprint of options.trustedFingerprints ?? []) this.trustFingerprint(fingerprint);
  }

  /** Accepts this fingerprint the first time any host presents it (it is then recorded like an answered prompt). */
  trustFingerprint(fingerprint: string): void {
    this.preTrusted.add(normaliseFingerprint(fingerprint));
  }

  /** Without an interactive client (a CLI run without a terminal), unknown hosts fail at once instead of waiting. */
  setInteractive(interactive: boolean): void {
    this.interactive = interactive;
  }

  async verify(host: string, port: number, key: Buffer, options: VerifyOptions = {}): Promise<void> {
    const keyType = keyTypeOf(key);
    const fingerprint = fingerprintOf(key);
    const known = this.knownKeys(host, port);
    const exact = known.find((entry) => entry.key.equals(key));
    if (exact?.revoked) {
      throw new BerthError('HOST_KEY_REJECTED', `The host key ${fingerprint} of ${label(host, port)} is marked @revoked in ${exact.source}.`, {
        host, port, fingerprint,
      });
    }
    if (exact) return;
    const sameType = known.filter((entry) => entry.keyType === keyType && !entry.revoked);
    if (sameType.length > 0) throw changedError(host, port, keyType, fingerprint, sameType);
    if (this.preTrusted.has(fingerprint)) {
      this.record(host, port, key);
      return;
    }
    if (!this.interactive) {
      throw new BerthError(
        'HOST_KEY_UNKNOWN',
        `${label(host, port)} is not a known host; its ${keyType} key is ${fingerprint}. ` +
          `Check that fingerprint with the server's administrator, then accept it (--accept-host-key ${fingerprint}).`,
        { host, port, keyType, fingerprint },
      );
    }
    await this.ask(host, port, key, keyType, fingerprint, options);
  }

  answer(promptId: string, accept: boolean): boolean {
    const entry = [...this.pending.entries()].find(([, pending]) => pending.prompt.promptId === promptId);
    if (!entry) return false;
    const [id, pending] = entry;
    this.pending.delete(id);
    const { host, port, fingerprint } = pending.prompt;
    if (accept) this.record(host, port, pending.key);
    this.options.bus.emit('hostKeys.resolved', { promptId, accepted: accept });
    const rejected = new BerthError('HOST_KEY_REJECTED', `The host key ${fingerprint} of ${label(host, port)} was rejected, so Berth did not connect.`, {
      host, port, fingerprint,
    });
    for (const waiter of pending.waiters) {
      if (accept) waiter.resolve();
      else waiter.reject(rejected);
    }
    return true;
  }

  pendingPrompts(): HostKeyPrompt[] {
    return [...this.pending.values()].map((pending) => pending.prompt);
  }

  /** Removes what Berth recorded for host:port (never the user's known_hosts). Returns how many keys went. */
  forget(host: string, port: number): number {
    let removed = 0;
    this.store.update((file) => {
      const hosts = file.hosts.filter((entry) => !(entry.host === host && entry.port === port));
      removed = file.hosts.length - hosts.length;
      return { version: 1, hosts };
    });
    return removed;
  }

  private ask(host: string, port: number, key: Buffer, keyType: string, fingerprint: string, options: VerifyOptions): Promise<void> {
    const id = `${hostToken(host, port)} ${fingerprint}`;
    let pending = this.pending.get(id);
    const fresh = !pending;
    if (!pending) {
      pending = { prompt: { promptId: randomUUID(), host, port, keyType, fingerprint }, key, waiters: [] };
      this.pending.set(id, pending);
    }
    const current = pending;
    const result = new Promise<void>((resolve, reject) => {
      const waiter = { resolve, reject };
      current.waiters.push(waiter);
      options.signal?.addEventListener(
        'abort',
        () => {
          current.waiters = current.waiters.filter((other) => other !== waiter);
          if (current.waiters.length === 0 && this.pending.get(id) === current) {
            this.pending.delete(id);
            this.options.bus.emit('hostKeys.resolved', { promptId: current.prompt.promptId, accepted: false });
          }
          reject(
            new BerthError('HOST_KEY_UNKNOWN', `Nobody answered the host-key question for ${label(host, port)} (${fingerprint}) before the connection was given up.`, {
              host, port, fingerprint,
            }),
          );
        },
        { once: true },
      );
    });
    options.onPrompt?.(current.prompt);
    if (fresh) this.options.bus.emit('hostKeys.prompt', current.prompt);
    return result;
  }

  private record(host: string, port: number, key: Buffer): void {
    const entry: TrustedHost = {
      host, port, keyType: keyTypeOf(key), fingerprint: fingerprintOf(key), key: key.toString('base64'), addedAt: new Date().toISOString(),
    };
    this.store.update((file) => ({
      version: 1,
      hosts: [...file.hosts.filter((old) => !(old.host === host && old.port === port && old.keyType === entry.keyType)), entry],
    }));
  }

  private knownKeys(host: string, port: number): KnownKey[] {
    const keys: KnownKey[] = [];
    for (const path of this.options.knownHostsPaths) {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        continue;
      }
      for (const entry of lookupKnownHosts(parseKnownHosts(text), host, port)) {
        keys.push({ keyType: entry.keyType, key: entry.key, revoked: entry.marker === 'revoked', source: path });
      }
    }
    for (const entry of this.store.read().hosts) {
      if (entry.host === host && entry.port === port) {
        keys.push({ keyType: entry.keyType, key: Buffer.from(entry.key, 'base64'), revoked: false, source: BERTH_STORE });
      }
    }
    return keys;
  }
}

function changedError(host: string, port: number, keyType: string, fingerprint: string, known: KnownKey[]): BerthError {
  const old = known.map((entry) => fingerprintOf(entry.key));
  const sources = [...new Set(known.map((entry) => entry.source))];
  const fix = sources.map((source) =>
    source === BERTH_STORE ? 'trust the new key ("Forget host key" in Berth, or `berth server trust NAME`)' : `run ssh-keygen -R "${hostToken(host, port)}" -f ${source}`,
  );
  // OpenSSH's files are only read, never edited: a key there can be replaced by the user alone.
  const knownHostsFiles = sources.filter((source) => source !== BERTH_STORE);
  return new BerthError(
    'HOST_KEY_CHANGED',
    `The ${keyType} host key of ${label(host, port)} has changed: it was ${old.join(', ')} and is now ${fingerprint}. ` +
      `Someone may be intercepting the connection, or the server was reinstalled. Berth refused to connect. ` +
      `If you have confirmed the new key with the server's administrator, ${fix.join(' and ')}, then connect again.`,
    { host, port, keyType, oldFingerprints: old, newFingerprint: fingerprint, sources, knownHostsFiles },
  );
}

function label(host: string, port: number): string {
  return port === 22 ? host : `${host}:${port}`;
}

function normaliseFingerprint(fingerprint: string): string {
  const trimmed = fingerprint.trim().replace(/=+$/, '');
  return trimmed.startsWith('SHA256:') ? trimmed : `SHA256:${trimmed}`;
}
