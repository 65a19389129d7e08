import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dataCacheDir } from '../cache-dir';
import { downloadFile, md5OfFile, withLock } from '../download';
import { DatasetError, describeCause } from '../errors';
import type { ProgressListener } from '../progress';
import { CIFAR_LAYOUT, type CifarVariant } from './cifar-format';
import { readTar } from './tar-reader';

/** The official binary releases (https://www.cs.toronto.edu/~kriz/cifar.html), with their published MD5s. */
export const CIFAR_REMOTE: Record<
  CifarVariant,
  { readonly url: string; readonly md5: string; readonly size: number; readonly archive: string }
> = {
  cifar10: {
    url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
    md5: 'c32a1d4ab5d03f1284b67883e8d87530',
    size: 170052171,
    archive: 'cifar-10-binary.tar.gz',
  },
  cifar100: {
    url: 'https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz',
    md5: '03b5dce01913d631647c71ecec9e9cb8',
    size: 168513733,
    archive: 'cifar-100-binary.tar.gz',
  },
};

export interface EnsureCifarOptions {
  /** Default: dataCacheDir() ($FIXCLF_DATA, else $XDG_CACHE_HOME/fixclf, else ~/.cache/fixclf). */
  readonly cacheDir?: string | undefined;
  /** false: never touch the network. An object overrides the address and checks (tests, mirrors). */
  readonly download?: boolean | { readonly url: string; readonly md5?: string | undefined; readonly size?: number | undefined } | undefined;
  readonly onProgress?: ProgressListener | undefined;
}

/**
 * Extracts the CIFAR directory from the archive into a temporary sibling, then renames it into place, so
 * the cache never holds a half-extracted release. Only plain files of that directory are written.
 */
async function extract(archive: string, cacheDir: string, directory: string): Promise<void> {
  const temporary = path.join(cacheDir, `.${directory}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(temporary, { recursive: true });
  try {
    await readTar(archive, (entry, data) => {
      const parts = entry.name.split('/');
      if (entry.kind !== 'file' || parts.length !== 2 || parts[0] !== directory || parts[1]!.startsWith('.')) return;
      writeFileSync(path.join(temporary, parts[1]!), data!);
    });
    const target = path.join(cacheDir, directory);
    if (existsSync(target)) return; // another process finished first
    renameSync(temporary, target);
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}

function offlineHelp(variant: CifarVariant, cacheDir: string): string {
  const { archive, url, md5 } = CIFAR_REMOTE[variant];
  const { directory, train } = CIFAR_LAYOUT[variant];
  return (
    `Put ${archive} (from ${url}, md5 ${md5}) at ${path.join(cacheDir, archive)}, ` +
    `or unpack it so that ${path.join(cacheDir, directory, train[0]!)} exists, ` +
    `or pass its directory to openDataset('/path/to/${directory}'). Set FIXCLF_DATA to use another cache directory.`
  );
}

/**
 * Returns the directory of a CIFAR binary release, downloading and extracting it into the cache first if
 * needed: an unpacked copy is used as is; a present archive is checked (MD5) and unpacked; otherwise the
 * archive is downloaded (resumable, size- and MD5-checked, atomically renamed).
 */
export async function ensureCifar(variant: CifarVariant, options: EnsureCifarOptions = {}): Promise<string> {
  const cacheDir = options.cacheDir ?? dataCacheDir();
  const { directory, train } = CIFAR_LAYOUT[variant];
  const target = path.join(cacheDir, directory);
  if (existsSync(path.join(target, train[0]!))) return target;
  // Jobs sharing the cache take turns at download + extract; a later one finds the first one's directory.
  return withLock(path.join(cacheDir, `.${directory}.lock`), async () => {
    if (existsSync(path.join(target, train[0]!))) return target;
    return fetchAndExtract(variant, cacheDir, options);
  });
}

async function fetchAndExtract(variant: CifarVariant, cacheDir: string, options: EnsureCifarOptions): Promise<string> {
  const { directory, train } = CIFAR_LAYOUT[variant];
  const target = path.join(cacheDir, directory);
  const remote = CIFAR_REMOTE[variant];
  const override = typeof options.download === 'object' ? options.download : undefined;
  const url = override?.url ?? remote.url;
  const md5 = override ? override.md5 : remote.md5;
  const size = override ? override.size : remote.size;
  const archive = path.join(cacheDir, remote.archive);

  if (existsSync(archive)) {
    if (md5 !== undefined && (await md5OfFile(archive)) !== md5) {
      throw new DatasetError(
        'CHECKSUM',
        `${archive} does not have the MD5 of the official release (${md5}): delete it to download again. ${offlineHelp(variant, cacheDir)}`,
        { file: archive },
      );
    }
  } else {
    if (options.download === false) {
      throw new DatasetError('OFFLINE', `${variant} is not in ${cacheDir} and downloading is off. ${offlineHelp(variant, cacheDir)}`, {
        file: target,
      });
    }
    try {
      await downloadFile({
        url,
        destination: archive,
        ...(md5 === undefined ? {} : { md5 }),
        ...(size === undefined ? {} : { size }),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    } catch (cause) {
      if (cause instanceof DatasetError && cause.code === 'CHECKSUM') throw cause;
      throw new DatasetError(
        'OFFLINE',
        `${variant} is not in ${cacheDir} and could not be downloaded (${describeCause(cause)}). ${offlineHelp(variant, cacheDir)}`,
        { file: target, cause },
      );
    }
  }
  await extract(archive, cacheDir, directory);
  if (!existsSync(path.join(target, train[0]!))) {
    throw new DatasetError('BROKEN_ARCHIVE', `${archive} does not contain ${directory}/${train[0]}`, { file: archive });
  }
  return target;
}
