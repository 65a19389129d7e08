import { packEncodedImages, type BadImagePolicy, type EncodedSample } from './encoded-images';
import type { FolderLayout } from './image-folder-layout';
import type { LoadedSource } from './image-source';

/**
 * An image folder's or archive's images held in memory, with its layout's classes and splits: what a
 * folder and an archive whose files fit under memoryLimit both hand to the dataset. `held` is the bytes
 * already held, the rest of memoryLimit being what the decoded cache may take.
 */
export function folderInMemory(
  samples: readonly EncodedSample[],
  layout: FolderLayout,
  options: { onBadImage: BadImagePolicy; cacheDecoded: boolean; memoryLimit: number },
  where: string,
  held: number,
  description: string,
): LoadedSource {
  const packed = packEncodedImages(samples, layout.classNames, {
    policy: options.onBadImage,
    where,
    cacheLimit: options.cacheDecoded ? options.memoryLimit - held : 0,
    presentClasses: layout.presentClasses,
  });
  return {
    ...packed,
    classNames: layout.classNames,
    presentClasses: layout.presentClasses,
    unsplit: layout.unsplit,
    description,
    family: 'folder',
  };
}
