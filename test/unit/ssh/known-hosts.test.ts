import { describe, expect, it } from 'vitest';
import { entryMatches, fingerprintOf, hostToken, keyTypeOf, lookupKnownHosts, parseKnownHosts } from '../../../electron/core/ssh/known-hosts';

// Made with ssh-keygen: the key, its `ssh-keygen -lf` fingerprint, and `ssh-keygen -H` of "example.com" and "[example.com]:2222".
const ed25519 = 'AAAAC3NzaC1lZDI1NTE5AAAAIBPuoi4FSyuKHwrFYoOnzE9JurCai046RJqxuJNh4TsM';
const ed25519Fingerprint = 'SHA256:iVZV+xz7pSSOXBDT0E9eJ6vFp9U7s9OCQrY/baSXefU';
const ecdsa =
  'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBHHZxb2UW9w9McK2gZfCcLPXnPVpokrQd9rsyRU4Xonmv8l7mBCBWUXavg15HpG1sZmYblVa3u8BknWMRa5Xhqw=';
const hashedPort22 = `|1|ob1mHh2G1y2YLbrfNdKDIxPFQaQ=|pKjLSxpAXWaeJyIPqEu5jh6uRWk= ssh-ed25519 ${ed25519}`;
const hashedPort2222 = `|1|D+cStgtMU/5IP7ZRblYKH0XNNsA=|1ord6P4OBlp1mo3LTag/alrYEWc= ssh-ed25519 ${ed25519}`;

describe('known_hosts', () => {
  it('computes the same SHA256 fingerprint as ssh-keygen', () => {
    expect(fingerprintOf(Buffer.from(ed25519, 'base64'))).toBe(ed25519Fingerprint);
  });

  it('reads the key type from the key blob', () => {
    expect(keyTypeOf(Buffer.from(ecdsa, 'base64'))).toBe('ecdsa-sha2-nistp256');
  });

  it('writes non-standard ports as [host]:port', () => {
    expect(hostToken('example.com', 22)).toBe('example.com');
    expect(hostToken('10.0.0.5', 2222)).toBe('[10.0.0.5]:2222');
  });

  it('skips comments, blank lines and malformed entries', () => {
    const entries = parseKnownHosts(`# comment\n\nexample.com ssh-ed25519\nexample.com ssh-ed25519 ${ed25519} a comment\n`);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.keyType).toBe('ssh-ed25519');
  });

  it('matches a plain entry by any of its comma-separated names', () => {
    const [entry] = parseKnownHosts(`web1,10.0.0.5 ssh-ed25519 ${ed25519}`);
    expect(entry && entryMatches(entry, '10.0.0.5', 22)).toBe(true);
    expect(entry && entryMatches(entry, 'web2', 22)).toBe(false);
  });

  it('matches a hashed entry for port 22 by host name only', () => {
    const [entry] = parseKnownHosts(hashedPort22);
    expect(entry && entryMatches(entry, 'example.com', 22)).toBe(true);
    expect(entry && entryMatches(entry, 'example.com', 2222)).toBe(false);
    expect(entry && entryMatches(entry, 'example.org', 22)).toBe(false);
  });

  it('matches a hashed entry written for [host]:port', () => {
    const [entry] = parseKnownHosts(hashedPort2222);
    expect(entry && entryMatches(entry, 'example.com', 2222)).toBe(true);
    expect(entry && entryMatches(entry, 'example.com', 22)).toBe(false);
  });

  it('honours wildcards and negated patterns', () => {
    const [entry] = parseKnownHosts(`*.example.com,!db.example.com ssh-ed25519 ${ed25519}`);
    expect(entry && entryMatches(entry, 'web.example.com', 22)).toBe(true);
    expect(entry && entryMatches(entry, 'db.example.com', 22)).toBe(false);
  });

  it('returns revoked keys and leaves certificate authorities out of a lookup', () => {
    const entries = parseKnownHosts(`@revoked example.com ssh-ed25519 ${ed25519}\n@cert-authority *.example.com ecdsa-sha2-nistp256 ${ecdsa}\n`);
    const found = lookupKnownHosts(entries, 'example.com', 22);
    expect(found.map((entry) => entry.marker)).toEqual(['revoked']);
  });
});
