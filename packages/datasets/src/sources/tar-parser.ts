import { DatasetError } from '../errors';
import { BLOCK, isZeroBlock, parsePaxRecords, parseTarHeader, type PaxRecords } from './tar-header';

/**
 * A member of interest: a regular file, a directory, or a link, with where its data starts in the
 * (decompressed) stream. Links carry no data: resolveTarLinks (tar-links.ts) finds the file they stand for.
 */
export interface TarEntry {
  readonly name: string;
  readonly kind: 'file' | 'directory' | 'hardlink' | 'symlink';
  readonly size: number;
  readonly offset: number;
  /** Links: the target as stored (a hard link names a member; a symbolic link holds a path relative to its directory). */
  readonly linkName?: string;
}

/** What the next header's name, link name or size is replaced by (GNU long names, pax headers). */
export interface Override {
  name?: string;
  linkName?: string;
  size?: number;
  /** The pax header said the next member is stored sparse (GNU.sparse.* records), under this real name if given. */
  sparse?: { name?: string | undefined };
}

/** Folds a pax header's records into what the next member's header is overridden with. */
export function applyPax(override: Override, pax: PaxRecords): void {
  if (pax.path !== undefined) override.name = pax.path;
  if (pax.linkpath !== undefined) override.linkName = pax.linkpath;
  if (pax.size !== undefined) override.size = pax.size;
  if (pax.sparse) override.sparse = { name: pax.sparseName };
}

/**
 * The entry a non-meta header describes, or undefined for members of no interest (devices, FIFOs, …).
 * Members whose bytes are not the file's are refused rather than dropped or misread: a sparse file (GNU
 * 'S', or pax GNU.sparse.* records, whose data starts with a hole map) would be an image gone missing or
 * decoded from the map; a multi-volume continuation ('M') holds only the tail of a file.
 */
export function entryOf(
  header: { type: string; name: string; size: number; offset: number; linkName: string },
  override: Override,
  archive: string,
): TarEntry | undefined {
  const { type, name, size, offset, linkName } = header;
  if (type === 'S' || type === 'M' || (override.sparse !== undefined && (type === '0' || type === '7'))) {
    const member = override.sparse?.name ?? name;
    const what = type === 'M' ? 'the continuation of a multi-volume archive' : 'a sparse file';
    const fix = type === 'M' ? 'Re-create it as a single volume' : 'Re-create it without --sparse (-S)';
    throw new DatasetError(
      'BROKEN_ARCHIVE',
      `${archive}: member ${JSON.stringify(member)} is stored as ${what}, which this reader does not read (nothing was extracted). ${fix}.`,
      { file: `${archive}:${member}` },
    );
  }
  switch (type) {
    case '0':
    case '7':
      return { name, kind: 'file', size, offset };
    case '5':
      return { name, kind: 'directory', size: 0, offset };
    case '1':
      return { name, kind: 'hardlink', size: 0, offset, linkName };
    case '2':
      return { name, kind: 'symlink', size: 0, offset, linkName };
    default:
      return undefined;
  }
}

/** Headers whose data describes the next member: GNU long name ('L') and long link name ('K'), pax ('x'). */
export function isMetaType(type: string): type is 'L' | 'K' | 'x' {
  return type === 'L' || type === 'K' || type === 'x';
}

export function normaliseMemberName(name: string): string {
  let n = name;
  while (n.startsWith('./')) n = n.slice(2);
  while (n.endsWith('/')) n = n.slice(0, -1);
  return n;
}

/**
 * The member's name, normalised, after refusing names that point outside the archive's tree: an absolute
 * name once became a class of its own ('tmp') and merged the real classes into one. Nothing is ever
 * extracted, but the classes must be exactly the archive's top-level directories, so the whole archive is
 * refused rather than the member quietly renamed or dropped.
 */
export function checkedMemberName(raw: string, archive: string): string {
  const name = normaliseMemberName(raw);
  const absolute = name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(name);
  const climbs = name.split(/[\\/]/).includes('..');
  if (absolute || climbs) {
    const what = absolute ? 'has an absolute name' : "climbs out of the archive's tree with '..'";
    throw new DatasetError(
      'UNSAFE_ARCHIVE',
      `${archive}: member ${JSON.stringify(raw)} ${what}; an image-folder archive must hold relative paths inside it, ` +
        `so it is refused (nothing was extracted). Re-create it from inside the folder, e.g. tar -cf data.tar -C <folder> .`,
      { file: `${archive}:${raw}` },
    );
  }
  return name;
}

const utf8 = new TextDecoder('utf-8');

/**
 * A push parser for tar streams (ustar, GNU long names, pax): feed it decompressed chunks of any size and it
 * reports each file, directory and link, with the file's bytes when `wantData` says so. Written here rather than
 * taken from tar-stream: ~100 lines, no stream plumbing per member, and the same header code serves the
 * in-place index of uncompressed archives (tar-index.ts), which a stream parser cannot do.
 */
export class TarParser {
  private readonly header = new Uint8Array(BLOCK);
  private headerFill = 0;
  private state: 'header' | 'data' | 'skip' | 'end' = 'header';
  private remaining = 0;
  private position = 0;
  private current:
    | {
        entry: TarEntry | undefined;
        meta: 'L' | 'K' | 'x' | undefined;
        data: Uint8Array | undefined;
        fill: number;
        padding: number;
        inPadding: boolean;
      }
    | undefined;
  private override: Override = {};

  constructor(
    private readonly archive: string,
    private readonly onEntry: (entry: TarEntry, data: Uint8Array | undefined) => void,
    private readonly wantData: (entry: TarEntry) => boolean,
  ) {}

  push(chunk: Uint8Array): void {
    let pos = 0;
    while (pos < chunk.length && this.state !== 'end') {
      if (this.state === 'header') {
        const take = Math.min(BLOCK - this.headerFill, chunk.length - pos);
        this.header.set(chunk.subarray(pos, pos + take), this.headerFill);
        this.headerFill += take;
        pos += take;
        if (this.headerFill === BLOCK) {
          this.headerFill = 0;
          this.onHeader();
          this.position += BLOCK;
        }
      } else {
        const take = Math.min(this.remaining, chunk.length - pos);
        const cur = this.current!;
        if (this.state === 'data' && cur.data !== undefined) cur.data.set(chunk.subarray(pos, pos + take), cur.fill);
        cur.fill += take;
        this.remaining -= take;
        this.position += take;
        pos += take;
        if (this.remaining === 0) this.onDataEnd();
      }
    }
  }

  /** Call at the end of the stream: a member cut short means a truncated archive. */
  finish(): void {
    if (this.state === 'end' || (this.state === 'header' && this.headerFill === 0)) return;
    const what = this.current?.entry?.name ?? 'a header';
    throw new DatasetError('BROKEN_ARCHIVE', `${this.archive} is truncated: it ends inside ${what} (at byte ${this.position})`, {
      file: this.archive,
    });
  }

  private onHeader(): void {
    if (isZeroBlock(this.header)) {
      this.state = 'end';
      return;
    }
    const header = parseTarHeader(this.header, this.archive, this.position);
    const isMeta = isMetaType(header.type);
    const size = isMeta ? header.size : (this.override.size ?? header.size);
    const offset = this.position + BLOCK;
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    let entry: TarEntry | undefined;
    let meta: 'L' | 'K' | 'x' | undefined;
    if (isMetaType(header.type)) {
      meta = header.type;
    } else {
      const name = checkedMemberName(this.override.name ?? header.name, this.archive);
      entry = entryOf(
        { type: header.type, name, size, offset, linkName: this.override.linkName ?? header.linkName },
        this.override,
        this.archive,
      );
      this.override = {};
      if (entry !== undefined && entry.kind !== 'file') this.onEntry(entry, undefined);
    }
    const keep = meta !== undefined || (entry?.kind === 'file' && this.wantData(entry));
    this.current = { entry, meta, data: keep ? new Uint8Array(size) : undefined, fill: 0, padding, inPadding: false };
    this.remaining = size;
    this.state = keep ? 'data' : 'skip';
    if (size === 0) this.onDataEnd();
  }

  private onDataEnd(): void {
    const cur = this.current!;
    if (!cur.inPadding) {
      if (cur.meta === 'L' || cur.meta === 'K') {
        const nul = cur.data!.indexOf(0);
        const text = utf8.decode(cur.data!.subarray(0, nul < 0 ? cur.data!.length : nul));
        if (cur.meta === 'L') this.override.name = text;
        else this.override.linkName = text;
      } else if (cur.meta === 'x') applyPax(this.override, parsePaxRecords(cur.data!));
      else if (cur.entry?.kind === 'file') this.onEntry(cur.entry, cur.data);
      if (cur.padding > 0) {
        cur.inPadding = true;
        cur.data = undefined;
        this.remaining = cur.padding;
        this.state = 'skip';
        return;
      }
    }
    this.current = undefined;
    this.state = 'header';
  }
}
