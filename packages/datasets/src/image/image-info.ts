/** What a cheap look at an encoded image's bytes tells, without decoding pixels. */
export interface ImageInfo {
  readonly format: 'jpeg' | 'png';
  readonly width: number;
  readonly height: number;
  /** Set (true) for a 4-component JPEG (CMYK or YCCK), which only sharp decodes with the right colours. */
  readonly cmyk?: true;
}

/** A structural problem found in an encoded image; the message says what, the caller says which file. */
export class ImageFormatError extends Error {
  override readonly name = 'ImageFormatError';
}
