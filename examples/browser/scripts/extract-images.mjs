// Copies a few CIFAR-10 training JPEGs out of the project's archive into public/images/<class>/ and
// writes public/images/manifest.json (which files, from where, their SHA-256). The images are committed;
// rerun this only to change the selection: node scripts/extract-images.mjs [archive] [--per-class 3]
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTar } from '@fixclf/datasets/internals';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, '..', 'public', 'images');
const args = process.argv.slice(2);
const perClassAt = args.indexOf('--per-class');
const perClass = perClassAt >= 0 ? Number(args.splice(perClassAt, 2)[1]) : 3;
const archive = path.resolve(args[0] ?? path.join(here, '..', '..', '..', '..', 'shared', 'data', 'cifar10-jpeg', 'train.tar.gz'));

// Pass 1: names only. The selection is the perClass lowest-numbered files of each class, so it does not
// depend on the archive's member order.
const names = [];
await readTar(
  archive,
  (entry) => {
    if (entry.kind === 'file' && /^train\/[^/]+\/[^/]+\.jpe?g$/i.test(entry.name)) names.push(entry.name);
  },
  () => false,
);
const byClass = new Map();
for (const name of names.sort()) {
  const cls = name.split('/')[1];
  const list = byClass.get(cls) ?? [];
  if (list.length < perClass) list.push(name);
  byClass.set(cls, list);
}
const wanted = new Set([...byClass.values()].flat());

// Pass 2: the bytes of the chosen members.
const bytes = new Map();
await readTar(
  archive,
  (entry, data) => {
    if (data) bytes.set(entry.name, data);
  },
  (entry) => wanted.has(entry.name),
);

rmSync(out, { recursive: true, force: true });
const images = [];
for (const cls of [...byClass.keys()].sort()) {
  for (const member of byClass.get(cls)) {
    const data = bytes.get(member);
    const file = `${cls}/${path.basename(member)}`;
    mkdirSync(path.join(out, cls), { recursive: true });
    writeFileSync(path.join(out, file), data);
    images.push({ file, label: cls, source: member, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') });
  }
}
const manifest = {
  description: `${perClass} CIFAR-10 training images per class, the lowest-numbered of each class directory`,
  archive: path
    .relative(path.join(here, '..', '..', '..'), archive)
    .split(path.sep)
    .join('/'),
  classNames: [...byClass.keys()].sort(),
  images,
};
writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`${images.length} images of ${byClass.size} classes from ${archive} -> ${path.relative(process.cwd(), out) || '.'}`);
