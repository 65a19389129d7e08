import type { ImageStore } from '../image-store';
import type { BadImage } from './encoded-images';
import type { TypicalSize } from './typical-size';

/** What every source hands to the dataset: images, labels, class names, and what was left out. */
export interface LoadedSource {
  readonly store: ImageStore;
  /** Label of each store index. */
  readonly labels: Int32Array;
  readonly classNames: string[];
  /** Labels the split has images for when not all of them (a test folder lacking a training class); default all. */
  readonly presentClasses?: readonly number[];
  /** A folder or archive without splits: every split reads the same images (default false). */
  readonly unsplit?: boolean;
  readonly skipped: BadImage[];
  /** Known when every image has one size (raw pixel sources always). */
  readonly uniformSize: { width: number; height: number } | undefined;
  /** For image folders and archives: the most common (or median) size of their images, for defaults only. */
  readonly typicalSize?: TypicalSize | undefined;
  /** The folder or archive that messages about its classes name (default: the description). */
  readonly where?: string;
  /** A short description for messages and the preprocessing record, e.g. 'cifar10 train (/data/cifar-10-batches-bin)'. */
  readonly description: string;
  /** The family of data: decides default augmentation. */
  readonly family: 'cifar' | 'synthetic' | 'folder';
}
