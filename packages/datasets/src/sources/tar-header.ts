import { DatasetError } from '../errors';

/** One tar header block, as ustar, GNU and pax archives write it. */
export interface TarHeader {
  readonly name: string;
  readonly size: number;
  /** The type flag: '0' file, '1' hard link, '2' symbolic link, '5' directory, 'L' / 'K' GNU long name / link name, 'x' pax header, 'g' pax global header, … */
  readonly type: string;
  /** A link's target: the member a hard link names, or a symbolic link's path (relative to its directory). */
  readonly linkName: string;
}

export const BLOCK = 512;
const utf8 = new TextDecoder('utf-8');

function cString(block: Uint8Array, start: number, length: number): string {
  const end = block.indexOf(0, start);
  return utf8.decode(block.subarray(start, end < 0 || end > start + length ? start + length : end));
}

function octal(block: Uint8Array, start: number, length: number): number {
  if ((block[start]! & 0x80) !== 0) {
    // GNU base-256 for values that do not fit the octal field (members over 8 GiB).
    let value = block[start]! & 0x7f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i]!;
    return value;
  }
  const text = cString(block, start, length).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

export function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

/**
 * Parses a header block. The checksum is verified, so a corrupt or non-tar file fails here, naming the
 * archive and the byte offset, instead of turning into garbage members.
 */
export function parseTarHeader(block: Uint8Array, archive: string, offset: number): TarHeader {
  const stored = octal(block, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  if (!Number.isFinite(stored) || (stored !== unsigned && stored !== signed)) {
    throw new DatasetError('BROKEN_ARCHIVE', `${archive} is not a valid tar archive: bad header checksum at byte ${offset}`, {
      file: archive,
    });
  }
  let name = cString(block, 0, 100);
  // POSIX ustar keeps long paths' directories in a prefix field; GNU's "ustar  " headers use that space otherwise.
  if (cString(block, 257, 6) === 'ustar') {
    const prefix = cString(block, 345, 155);
    if (prefix !== '') name = `${prefix}/${name}`;
  }
  const size = octal(block, 124, 12);
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new DatasetError('BROKEN_ARCHIVE', `${archive} is corrupt: bad member size at byte ${offset}`, { file: archive });
  }
  const flag = block[156]!;
  return { name, size, type: flag === 0 ? '0' : String.fromCharCode(flag), linkName: cString(block, 157, 100) };
}

/** The pax records this reader uses; the rest (times, owners, charset) are ignored. */
export interface PaxRecords {
  path?: string;
  linkpath?: string;
  size?: number;
  /** GNU tar's pax sparse formats (GNU.sparse.* records): the member's data is a hole map, not the file. */
  sparse?: boolean;
  /** The real name of a pax 1.0 sparse member (its header name is GNUSparseFile.<pid>/<name>). */
  sparseName?: string;
}

/** Reads `path`, `linkpath`, `size` and the GNU.sparse.* marks from a pax extended header's "<length> <key>=<value>\n" records (lengths in bytes). */
export function parsePaxRecords(data: Uint8Array): PaxRecords {
  const out: PaxRecords = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space < 0) break;
    const length = parseInt(utf8.decode(data.subarray(pos, space)), 10);
    if (!(length > 0) || pos + length > data.length) break;
    const record = utf8.decode(data.subarray(space + 1, pos + length - 1));
    const eq = record.indexOf('=');
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key === 'path') out.path = value;
    if (key === 'linkpath') out.linkpath = value;
    if (key === 'size') out.size = parseInt(value, 10);
    if (key.startsWith('GNU.sparse.')) out.sparse = true;
    if (key === 'GNU.sparse.name') out.sparseName = value;
    pos += length;
  }
  return out;
}
