// Draws resources/icon.png (512×512): a dock with an arrow rising from it, on Berth's blue-to-teal square.
// Plain Node, no dependencies: shapes are sampled 4×4 per pixel for smooth edges, then written as an RGBA PNG.
// Run: node resources/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const SS = 4;

const inRoundRect = (x, y, x0, y0, x1, y1, r) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};

const inTriangle = (x, y, [ax, ay], [bx, by], [cx, cy]) => {
  const s1 = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
  const s2 = (cx - bx) * (y - by) - (cy - by) * (x - bx);
  const s3 = (ax - cx) * (y - cy) - (ay - cy) * (x - cx);
  return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
};

const background = (x, y) => inRoundRect(x, y, 32, 32, 480, 480, 104);
const mark = (x, y) =>
  inRoundRect(x, y, 120, 326, 392, 364, 19) || // the dock
  inRoundRect(x, y, 158, 350, 190, 414, 12) || // its piles
  inRoundRect(x, y, 322, 350, 354, 414, 12) ||
  inRoundRect(x, y, 238, 188, 274, 302, 14) || // the arrow's shaft
  inTriangle(x, y, [256, 104], [168, 210], [344, 210]); // and head

const from = [79, 124, 255];
const to = [43, 179, 163];

const rows = [];
for (let py = 0; py < SIZE; py++) {
  const row = Buffer.alloc(1 + SIZE * 4);
  for (let px = 0; px < SIZE; px++) {
    let bg = 0;
    let fg = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const x = px + (sx + 0.5) / SS;
        const y = py + (sy + 0.5) / SS;
        if (background(x, y)) {
          bg++;
          if (mark(x, y)) fg++;
        }
      }
    }
    const n = SS * SS;
    const t = Math.min(1, Math.max(0, (px + py) / (2 * SIZE)));
    const base = from.map((c, i) => c + (to[i] - c) * t);
    const white = fg / Math.max(bg, 1);
    const o = 1 + px * 4;
    for (let i = 0; i < 3; i++) row[o + i] = Math.round(base[i] * (1 - white) + 255 * white);
    row[o + 3] = Math.round((255 * bg) / n);
  }
  rows.push(row);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};

const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = join(dirname(fileURLToPath(import.meta.url)), 'icon.png');
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
