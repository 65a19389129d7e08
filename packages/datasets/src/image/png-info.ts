import { ImageFormatError, type ImageInfo } from './image-info';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

function u32(bytes: Uint8Array, pos: number): number {
  return ((bytes[pos]! << 24) | (bytes[pos + 1]! << 16) | (bytes[pos + 2]! << 8) | bytes[pos + 3]!) >>> 0;
}

/** Walks a PNG's chunks: IHDR first, every chunk inside the file, IEND reached (truncation loses it). */
export function readPngInfo(bytes: Uint8Array): ImageInfo {
  if (!isPng(bytes)) throw new ImageFormatError('not a PNG (bad signature)');
  const n = bytes.length;
  if (n < 33 || u32(bytes, 12) !== 0x49484452) throw new ImageFormatError('corrupt PNG: first chunk is not IHDR');
  const width = u32(bytes, 16);
  const height = u32(bytes, 20);
  if (width === 0 || height === 0) throw new ImageFormatError('corrupt PNG: zero width or height');
  let pos = 8;
  while (pos + 12 <= n) {
    const length = u32(bytes, pos);
    const type = u32(bytes, pos + 4);
    const end = pos + 12 + length;
    if (end > n) break;
    if (type === 0x49454e44) return { format: 'png', width, height };
    pos = end;
  }
  throw new ImageFormatError(`truncated PNG: ${n} bytes end before the IEND chunk`);
}
