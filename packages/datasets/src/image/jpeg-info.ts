import { ImageFormatError, type ImageInfo } from './image-info';

// Start-of-frame markers carry the dimensions: baseline, extended, progressive, lossless, arithmetic variants.
const START_OF_FRAME = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/**
 * Walks a JPEG's marker segments: the frame header must be present and well formed and the stream must
 * reach its end-of-image marker, which is what a truncated download or copy loses. Linear in the size,
 * with no decoding, so a whole dataset can be checked when it is opened.
 */
export function readJpegInfo(bytes: Uint8Array): ImageInfo {
  if (!isJpeg(bytes)) throw new ImageFormatError('not a JPEG (no start-of-image marker)');
  const n = bytes.length;
  let pos = 2;
  let width = 0;
  let height = 0;
  let sawScan = false;
  let cmyk = false;
  while (pos < n) {
    if (bytes[pos] !== 0xff) {
      if (!sawScan) throw new ImageFormatError(`corrupt JPEG: expected a marker at byte ${pos}`);
      // Entropy-coded data: jump to the next 0xFF (native indexOf: this is where the bytes are).
      const next = bytes.indexOf(0xff, pos);
      if (next < 0) break;
      pos = next;
      continue;
    }
    let marker = bytes[pos + 1];
    while (marker === 0xff && pos + 1 < n) {
      pos++; // fill bytes
      marker = bytes[pos + 1];
    }
    if (marker === undefined) break;
    if (marker === 0x00 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      pos += 2; // stuffed byte, restart marker or TEM: no length field
      continue;
    }
    if (marker === 0xd9) {
      if (width === 0 || height === 0) throw new ImageFormatError('corrupt JPEG: no frame header with non-zero dimensions');
      if (!sawScan) throw new ImageFormatError('corrupt JPEG: no image data (start-of-scan marker missing)');
      return cmyk ? { format: 'jpeg', width, height, cmyk } : { format: 'jpeg', width, height };
    }
    if (pos + 3 >= n) break;
    const length = (bytes[pos + 2]! << 8) | bytes[pos + 3]!;
    if (length < 2) throw new ImageFormatError(`corrupt JPEG: segment length ${length} at byte ${pos}`);
    if (START_OF_FRAME.has(marker)) {
      if (pos + 9 >= n) break;
      height = (bytes[pos + 5]! << 8) | bytes[pos + 6]!;
      width = (bytes[pos + 7]! << 8) | bytes[pos + 8]!;
      const components = bytes[pos + 9]!;
      if (components !== 1 && components !== 3 && components !== 4)
        throw new ImageFormatError(`unsupported JPEG: ${components} colour components`);
      cmyk = components === 4;
    } else if (marker === 0xda) {
      sawScan = true;
    }
    pos += 2 + length;
  }
  throw new ImageFormatError(`truncated JPEG: ${n} bytes end before the end-of-image marker`);
}
