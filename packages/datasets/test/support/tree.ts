import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Writes files (relative path → bytes) under `root`, creating directories; returns root. */
export function writeTree(root: string, files: Record<string, Uint8Array | string>): string {
  for (const [rel, bytes] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), bytes);
  }
  return root;
}
