import { describe, expect, it } from 'vitest';
import { tarOneFile, untarFirstFile } from '../../../electron/core/proxy/tar-file';

describe('tarOneFile', () => {
  it('round-trips one file through a ustar archive padded to whole blocks', () => {
    const content = Buffer.from('global\n    maxconn 10\n'.repeat(100));
    const tar = tarOneFile('haproxy.cfg', content);
    expect(tar.length % 512).toBe(0);
    expect(untarFirstFile(tar)).toEqual({ name: 'haproxy.cfg', content });
  });

  it('writes a valid header checksum', () => {
    const header = tarOneFile('a', Buffer.from('x')).subarray(0, 512);
    const stored = parseInt(header.subarray(148, 154).toString('ascii'), 8);
    const sum = [...header].reduce((acc, b, i) => acc + (i >= 148 && i < 156 ? 0x20 : b), 0);
    expect(stored).toBe(sum);
  });
});
