import { inspectImage } from '../image/inspect-image';
import { EncodedReader, type FileStore, type TarStore } from '../image-store';

/**
 * The size shared by a few evenly spaced images of a store left on disk, or undefined when they differ or
 * cannot be read. It only picks defaults (the CIFAR recipe for small images); batches never rely on it.
 */
export function typicalSize(store: FileStore | TarStore, samples = 16): { width: number; height: number } | undefined {
  const reader = new EncodedReader(store);
  try {
    let size: { width: number; height: number } | undefined;
    for (let k = 0; k < Math.min(samples, store.count); k++) {
      const index = Math.floor((k * store.count) / Math.min(samples, store.count));
      const info = inspectImage(reader.read(index));
      if (size === undefined) size = { width: info.width, height: info.height };
      else if (size.width !== info.width || size.height !== info.height) return undefined;
    }
    return size;
  } catch {
    return undefined; // unreadable or not an image: reported when its batch is made
  } finally {
    reader.close();
  }
}
