import { describe, expect, it } from 'vitest';
import { parseDf } from '../../../electron/core/servers/overview';

describe('disk space from df -Pk', () => {
  it('reads total and available KiB as bytes', () => {
    const output = 'Filesystem     1024-blocks     Used Available Capacity Mounted on\n/dev/sda1        41152736 20576368  18462880      53% /\n';
    expect(parseDf(output)).toEqual({ totalBytes: 41152736 * 1024, freeBytes: 18462880 * 1024 });
  });

  it('copes with a long device name wrapped onto its own line', () => {
    const output = 'Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/mapper/very-long-volume-name\n 1000 400 600 40% /var/lib/docker\n';
    expect(parseDf(output)).toEqual({ totalBytes: 1000 * 1024, freeBytes: 600 * 1024 });
  });

  it('returns null for output it does not understand', () => {
    expect(parseDf("df: /nope: No such file or directory\n")).toBeNull();
  });
});
