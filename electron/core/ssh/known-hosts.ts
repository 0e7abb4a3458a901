import { createHash, createHmac } from 'node:crypto';
import { matchPatternList } from './patterns';

export interface KnownHostEntry {
  marker: 'revoked' | 'cert-authority' | null;
  /** Plain patterns, or a single hashed `|1|salt|hash` entry. */
  patterns: string[];
  keyType: string;
  key: Buffer;
}

/** The name OpenSSH records for a host: the bare host on port 22, `[host]:port` otherwise. */
export function hostToken(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** OpenSSH's fingerprint format: `SHA256:` and the unpadded base64 of the key blob's digest. */
export function fingerprintOf(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The algorithm name at the start of an SSH public key blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`, ...). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const length = key.readUInt32BE(0);
  return length > 0 && length <= 64 && key.length >= 4 + length ? key.subarray(4, 4 + length).toString('latin1') : 'unknown';
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') {
      marker = fields[0] === '@revoked' ? 'revoked' : 'cert-authority';
      fields.shift();
    }
    const [hosts, keyType, keyData] = fields;
    if (!hosts || !keyType || !keyData) continue;
    const key = Buffer.from(keyData, 'base64');
    if (key.length === 0) continue;
    entries.push({ marker, patterns: hosts.split(','), keyType, key });
  }
  return entries;
}

function hashedMatches(entry: string, token: string): boolean {
  const [, magic, salt, hash] = entry.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(token).digest('base64');
  return digest === hash;
}

export function entryMatches(entry: KnownHostEntry, host: string, port: number): boolean {
  const token = hostToken(host, port);
  const first = entry.patterns[0];
  if (entry.patterns.length === 1 && first?.startsWith('|')) return hashedMatches(first, token);
  return matchPatternList(entry.patterns, token);
}

/** Host keys recorded for host:port (certificate authorities are not supported and left out). */
export function lookupKnownHosts(entries: readonly KnownHostEntry[], host: string, port: number): KnownHostEntry[] {
  return entries.filter((entry) => entry.marker !== 'cert-authority' && entryMatches(entry, host, port));
}
