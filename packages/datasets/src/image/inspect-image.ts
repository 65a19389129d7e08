import { ImageFormatError, type ImageInfo } from './image-info';
import { isJpeg, readJpegInfo } from './jpeg-info';
import { isPng, readPngInfo } from './png-info';

/**
 * Identifies an encoded image by its content (never its file name: ImageNet holds a PNG named .JPEG) and
 * checks its structure. Throws ImageFormatError saying what is wrong.
 */
export function inspectImage(bytes: Uint8Array): ImageInfo {
  if (bytes.length === 0) throw new ImageFormatError('empty file');
  if (isJpeg(bytes)) return readJpegInfo(bytes);
  if (isPng(bytes)) return readPngInfo(bytes);
  throw new ImageFormatError('not a JPEG or PNG image');
}
