import type { CifarVariant } from './cifar-format';

/** Which CIFAR release a set of file names (relative paths) holds, and in which directory; undefined if none. */
export function detectCifar(names: Iterable<string>): { variant: CifarVariant; directory: string } | undefined {
  const set = new Set(names);
  for (const name of set) {
    const slash = name.lastIndexOf('/');
    const dir = slash < 0 ? '' : name.slice(0, slash);
    const base = name.slice(slash + 1);
    const sibling = (file: string): boolean => set.has(dir === '' ? file : `${dir}/${file}`);
    if (base === 'data_batch_1.bin' || (base === 'test_batch.bin' && sibling('batches.meta.txt')))
      return { variant: 'cifar10', directory: dir };
    if ((base === 'train.bin' || base === 'test.bin') && (sibling('fine_label_names.txt') || dir.endsWith('cifar-100-binary'))) {
      return { variant: 'cifar100', directory: dir };
    }
  }
  return undefined;
}
