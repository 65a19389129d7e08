import { createReadStream, openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { DatasetError, describeCause } from '../errors';
import { BLOCK, isZeroBlock, parsePaxRecords, parseTarHeader } from './tar-header';
import { applyPax, checkedMemberName, entryOf, isMetaType, type Override, TarParser, type TarEntry } from './tar-parser';

const CHUNK = 1 << 20;

/** True when the file starts with gzip's magic bytes (the name is not trusted). */
export function isGzipFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/**
 * Streams a .tar or .tar.gz from start to end (gzip is detected from the content), reporting members.
 * A corrupt gzip stream, a bad header or a cut-off member fails with a DatasetError naming the archive.
 */
export async function readTar(
  archive: string,
  onEntry: (entry: TarEntry, data: Uint8Array | undefined) => void,
  wantData: (entry: TarEntry) => boolean = () => true,
): Promise<void> {
  const parser = new TarParser(archive, onEntry, wantData);
  const gzip = isGzipFile(archive);
  const source = createReadStream(archive, { highWaterMark: CHUNK });
  const stream = gzip ? source.pipe(createGunzip({ chunkSize: CHUNK })) : source;
  if (gzip) source.on('error', (error) => stream.destroy(error));
  try {
    for await (const chunk of stream) parser.push(chunk as Uint8Array);
  } catch (cause) {
    source.destroy();
    if (cause instanceof DatasetError) throw cause;
    throw new DatasetError('BROKEN_ARCHIVE', `${archive} is corrupt or truncated: ${describeCause(cause)}`, { file: archive, cause });
  }
  parser.finish();
}

/**
 * Indexes an uncompressed tar in place: hops from header to header with positional reads, never reading
 * member data, so an ImageNet-sized archive is indexed in seconds and then read at random offsets.
 */
export function indexTar(archive: string): TarEntry[] {
  const fd = openSync(archive, 'r');
  try {
    const length = fstatSync(fd).size;
    const block = new Uint8Array(BLOCK);
    const entries: TarEntry[] = [];
    let position = 0;
    let override: Override = {};
    while (position + BLOCK <= length) {
      if (readSync(fd, block, 0, BLOCK, position) !== BLOCK || isZeroBlock(block)) break;
      const header = parseTarHeader(block, archive, position);
      const isMeta = isMetaType(header.type);
      const size = isMeta ? header.size : (override.size ?? header.size);
      const offset = position + BLOCK;
      if (offset + size > length) {
        throw new DatasetError(
          'BROKEN_ARCHIVE',
          `${archive} is truncated: member ${override.name ?? header.name} needs ${size} bytes at byte ${offset}, the file ends at ${length}`,
          { file: archive },
        );
      }
      if (isMeta) {
        const data = Buffer.alloc(size);
        readSync(fd, data, 0, size, offset);
        if (header.type === 'L') override.name = data.toString('utf8').replace(/\0.*$/s, '');
        else if (header.type === 'K') override.linkName = data.toString('utf8').replace(/\0.*$/s, '');
        else applyPax(override, parsePaxRecords(data));
      } else {
        const name = checkedMemberName(override.name ?? header.name, archive);
        const entry = entryOf({ type: header.type, name, size, offset, linkName: override.linkName ?? header.linkName }, override, archive);
        override = {};
        if (entry !== undefined) entries.push(entry);
      }
      position = offset + Math.ceil(size / BLOCK) * BLOCK;
    }
    // The loop stops at an end block, at the file's end, or with part of a header left: only the last loses
    // members (as the stream parser's finish() says). An archive cut at a member boundary is accepted, as
    // GNU tar and Python's tarfile do.
    if (position < length && position + BLOCK > length) {
      throw new DatasetError('BROKEN_ARCHIVE', `${archive} is truncated: it ends inside a header (at byte ${position})`, { file: archive });
    }
    return entries;
  } finally {
    closeSync(fd);
  }
}
