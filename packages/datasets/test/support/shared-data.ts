import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The shared real data (../shared/data beside the checkout, or $FIXCLF_SHARED_DATA): walk up from this
 * file to the workspace root (the directory with pnpm-workspace.yaml), then ../shared/data.
 */
export function sharedDataFile(relative: string): { file: string; present: boolean } {
  const base = process.env.FIXCLF_SHARED_DATA;
  if (base) {
    const file = path.join(base, relative);
    return { file, present: existsSync(file) };
  }
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'pnpm-workspace.yaml'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return { file: path.join('..', 'shared', 'data', relative), present: false };
    dir = parent;
  }
  const file = path.join(dir, '..', 'shared', 'data', relative);
  return { file, present: existsSync(file) };
}
