/** The CIFAR binary format (Krizhevsky, 2009): records of label byte(s) then 1024 R, 1024 G, 1024 B bytes. */

export type CifarVariant = 'cifar10' | 'cifar100';

export const CIFAR_SIDE = 32;
export const CIFAR_PIXELS = CIFAR_SIDE * CIFAR_SIDE * 3;

/** Bytes per record: one label byte for CIFAR-10; coarse then fine label bytes for CIFAR-100. */
export function cifarRecordBytes(variant: CifarVariant): number {
  return (variant === 'cifar10' ? 1 : 2) + CIFAR_PIXELS;
}

export interface CifarLayout {
  /** The directory name of the official archive's contents. */
  readonly directory: string;
  readonly train: readonly string[];
  readonly test: readonly string[];
  /** Records per file in the official release. */
  readonly recordsPerFile: Readonly<Record<string, number>>;
}

export const CIFAR_LAYOUT: Record<CifarVariant, CifarLayout> = {
  cifar10: {
    directory: 'cifar-10-batches-bin',
    train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
    test: ['test_batch.bin'],
    recordsPerFile: {
      'data_batch_1.bin': 10000,
      'data_batch_2.bin': 10000,
      'data_batch_3.bin': 10000,
      'data_batch_4.bin': 10000,
      'data_batch_5.bin': 10000,
      'test_batch.bin': 10000,
    },
  },
  cifar100: {
    directory: 'cifar-100-binary',
    train: ['train.bin'],
    test: ['test.bin'],
    recordsPerFile: { 'train.bin': 50000, 'test.bin': 10000 },
  },
};

/** batches.meta.txt of CIFAR-10. */
export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] as const;

/** fine_label_names.txt of CIFAR-100. */
// prettier-ignore
export const CIFAR100_FINE_CLASSES = [
  'apple', 'aquarium_fish', 'baby', 'bear', 'beaver', 'bed', 'bee', 'beetle', 'bicycle', 'bottle',
  'bowl', 'boy', 'bridge', 'bus', 'butterfly', 'camel', 'can', 'castle', 'caterpillar', 'cattle',
  'chair', 'chimpanzee', 'clock', 'cloud', 'cockroach', 'couch', 'crab', 'crocodile', 'cup', 'dinosaur',
  'dolphin', 'elephant', 'flatfish', 'forest', 'fox', 'girl', 'hamster', 'house', 'kangaroo', 'keyboard',
  'lamp', 'lawn_mower', 'leopard', 'lion', 'lizard', 'lobster', 'man', 'maple_tree', 'motorcycle', 'mountain',
  'mouse', 'mushroom', 'oak_tree', 'orange', 'orchid', 'otter', 'palm_tree', 'pear', 'pickup_truck', 'pine_tree',
  'plain', 'plate', 'poppy', 'porcupine', 'possum', 'rabbit', 'raccoon', 'ray', 'road', 'rocket',
  'rose', 'sea', 'seal', 'shark', 'shrew', 'skunk', 'skyscraper', 'snail', 'snake', 'spider',
  'squirrel', 'streetcar', 'sunflower', 'sweet_pepper', 'table', 'tank', 'telephone', 'television', 'tiger', 'tractor',
  'train', 'trout', 'tulip', 'turtle', 'wardrobe', 'whale', 'willow_tree', 'wolf', 'woman', 'worm',
] as const;

/** coarse_label_names.txt of CIFAR-100. */
// prettier-ignore
export const CIFAR100_COARSE_CLASSES = [
  'aquatic_mammals', 'fish', 'flowers', 'food_containers', 'fruit_and_vegetables',
  'household_electrical_devices', 'household_furniture', 'insects', 'large_carnivores', 'large_man-made_outdoor_things',
  'large_natural_outdoor_scenes', 'large_omnivores_and_herbivores', 'medium_mammals', 'non-insect_invertebrates', 'people',
  'reptiles', 'small_mammals', 'trees', 'vehicles_1', 'vehicles_2',
] as const;

/** The label-names file that sits beside the data files. */
export function cifarNamesFile(variant: CifarVariant, label: 'fine' | 'coarse'): string {
  return variant === 'cifar10' ? 'batches.meta.txt' : `${label}_label_names.txt`;
}
