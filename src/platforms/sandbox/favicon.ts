import { crc32, deflateSync } from "node:zlib";

/**
 * The sandbox page's icon, drawn here rather than kept as a binary file: a 32×32 blue tile with a white
 * speech bubble (the bot), as a PNG inside an ICO container, which every browser reads at /favicon.ico.
 */
export function faviconIco(): Buffer {
  const size = 32;
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4); // filter byte 0, then RGBA
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x + 0.5, y + 0.5, size);
      row.set([r, g, b, a], 1 + x * 4);
    }
    rows.push(row);
  }
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", Buffer.from([0, 0, 0, size, 0, 0, 0, size, 8, 6, 0, 0, 0])),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
  const header = Buffer.from([0, 0, 1, 0, 1, 0]); // reserved, type 1 (icon), one image
  const entry = Buffer.alloc(16);
  entry.writeUInt8(size, 0);
  entry.writeUInt8(size, 1);
  entry.writeUInt16LE(1, 4); // colour planes
  entry.writeUInt16LE(32, 6); // bits per pixel
  entry.writeUInt32LE(png.length, 8);
  entry.writeUInt32LE(header.length + entry.length, 12);
  return Buffer.concat([header, entry, png]);
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Inside a rounded rectangle [x0, x1] × [y0, y1] with corner radius r. */
function inRounded(x: number, y: number, x0: number, y0: number, x1: number, y1: number, r: number): boolean {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function pixel(x: number, y: number, size: number): [number, number, number, number] {
  if (!inRounded(x, y, 0, 0, size, size, 7)) return [0, 0, 0, 0];
  const bubble = inRounded(x, y, 6, 7, 26, 21, 4);
  // The bubble's tail: a small triangle under its left side.
  const tail = y > 20 && y < 26 && x > 9 && x < 15 && x - 9 < 26 - y;
  const dot = [11, 16, 21].some((cx) => (x - cx) ** 2 + (y - 14) ** 2 <= 2.6);
  if ((bubble || tail) && !dot) return [255, 255, 255, 255];
  return [0x33, 0x70, 0xff, 255];
}
