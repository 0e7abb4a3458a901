/**
 * The smallest tar (ustar) Docker's archive endpoints accept: one regular file in, one file out. Enough to put the
 * proxy's config into its container and read it back, without a packing library for a few kilobytes.
 */

const BLOCK = 512;

/** Several small files in one archive, in order. */
export function tarFiles(files: Array<{ name: string; content: Buffer }>, mtime = new Date()): Buffer {
  const parts = files.map((f) => tarOneFile(f.name, f.content, 0o644, mtime));
  // each single-file archive ends with two zero blocks: keep only the last pair
  return Buffer.concat([...parts.map((p) => p.subarray(0, p.length - BLOCK * 2)), Buffer.alloc(BLOCK * 2, 0)]);
}

export function tarOneFile(name: string, content: Buffer, mode = 0o644, mtime = new Date()): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name too long: ${name}`);
  const header = Buffer.alloc(BLOCK, 0);
  header.write(name, 0, 100, 'utf8');
  writeOctal(header, mode, 100, 8);
  writeOctal(header, 0, 108, 8);
  writeOctal(header, 0, 116, 8);
  writeOctal(header, content.length, 124, 12);
  writeOctal(header, Math.floor(mtime.getTime() / 1000), 136, 12);
  header.fill(0x20, 148, 156);
  header.write('0', 156, 1, 'ascii');
  header.write('ustar\u0000', 257, 6, 'ascii');
  header.write('00', 263, 2, 'ascii');
  let sum = 0;
  for (const byte of header) sum += byte;
  writeOctal(header, sum, 148, 7);
  header[155] = 0x20;
  const padding = (BLOCK - (content.length % BLOCK)) % BLOCK;
  return Buffer.concat([header, content, Buffer.alloc(padding, 0), Buffer.alloc(BLOCK * 2, 0)]);
}

/** The content of the first regular file in a tar, or null when there is none. */
export function untarFirstFile(tar: Buffer): { name: string; content: Buffer } | null {
  let offset = 0;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) return null;
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const start = offset + BLOCK;
    if (type === '0' || type === '\0') return { name, content: Buffer.from(tar.subarray(start, start + size)) };
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return null;
}

function writeOctal(buf: Buffer, value: number, offset: number, length: number): void {
  buf.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}
