import { DatasetError } from '../errors';
import { BLOCK, isZeroBlock, parsePaxRecords, parseTarHeader } from './tar-header';

/** A member of interest: a regular file or a directory, with where its data starts in the (decompressed) stream. */
export interface TarEntry {
  readonly name: string;
  readonly kind: 'file' | 'directory';
  readonly size: number;
  readonly offset: number;
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

/** What the next header's name or size is replaced by (GNU long names, pax headers). */
interface Override {
  name?: string;
  size?: number;
}

/**
 * A push parser for tar streams (ustar, GNU long names, pax): feed it decompressed chunks of any size and it
 * reports each file and directory, with the file's bytes when `wantData` says so. Written here rather than
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
        meta: 'L' | 'x' | undefined;
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
    const isMeta = header.type === 'L' || header.type === 'x';
    const size = isMeta ? header.size : (this.override.size ?? header.size);
    const offset = this.position + BLOCK;
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    let entry: TarEntry | undefined;
    let meta: 'L' | 'x' | undefined;
    if (header.type === 'L' || header.type === 'x') {
      meta = header.type;
    } else {
      const name = checkedMemberName(this.override.name ?? header.name, this.archive);
      this.override = {};
      if (header.type === '0' || header.type === '7') entry = { name, kind: 'file', size, offset };
      else if (header.type === '5') entry = { name, kind: 'directory', size: 0, offset };
      if (entry?.kind === 'directory') this.onEntry(entry, undefined);
    }
    const keep = meta !== undefined || (entry?.kind === 'file' && this.wantData(entry));
    this.current = { entry, meta, data: keep ? new Uint8Array(size) : undefined, fill: 0, padding, inPadding: false };
    this.remaining = size;
    this.state = keep ? 'data' : 'skip';
    if (size === 0) this.onDataEnd();
  }

  private applyPax(pax: { path?: string; size?: number }): void {
    if (pax.path !== undefined) this.override.name = pax.path;
    if (pax.size !== undefined) this.override.size = pax.size;
  }

  private onDataEnd(): void {
    const cur = this.current!;
    if (!cur.inPadding) {
      if (cur.meta === 'L') {
        const nul = cur.data!.indexOf(0);
        this.override.name = utf8.decode(cur.data!.subarray(0, nul < 0 ? cur.data!.length : nul));
      } else if (cur.meta === 'x') this.applyPax(parsePaxRecords(cur.data!));
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
