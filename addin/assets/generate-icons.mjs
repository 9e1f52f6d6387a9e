// Writes the add-in's icons (icon-16/32/64/80/128.png): a blue rounded square with a white "O".
// Run once with `node addin/assets/generate-icons.mjs`; the PNGs are committed. Plain node:zlib, no image library.
import { deflateSync, crc32 } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const BLUE = [0x0f, 0x6c, 0xbd];
const SAMPLES = 4; // supersampling per axis, for smooth edges

function coverage(size, x, y) {
  let square = 0;
  let letter = 0;
  for (let sy = 0; sy < SAMPLES; sy++) {
    for (let sx = 0; sx < SAMPLES; sx++) {
      const u = (x + (sx + 0.5) / SAMPLES) / size; // 0..1
      const v = (y + (sy + 0.5) / SAMPLES) / size;
      const r = 0.18; // corner radius
      const dx = Math.max(r - u, 0, u - (1 - r));
      const dy = Math.max(r - v, 0, v - (1 - r));
      if (dx * dx + dy * dy > r * r) continue;
      square++;
      const d = Math.hypot(u - 0.5, v - 0.5);
      if (d <= 0.31 && d >= 0.31 - Math.max(0.11, 1.6 / size)) letter++;
    }
  }
  return [square / SAMPLES ** 2, letter / SAMPLES ** 2];
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

function png(size) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4); // filter byte 0, then RGBA
    for (let x = 0; x < size; x++) {
      const [square, letter] = coverage(size, x, y);
      const mix = square > 0 ? letter / square : 0;
      const rgb = BLUE.map((c) => Math.round(c + (255 - c) * mix));
      row.set([...rgb, Math.round(255 * square)], 1 + x * 4);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const size of [16, 32, 64, 80, 128]) writeFileSync(path.join(here, `icon-${size}.png`), png(size));
