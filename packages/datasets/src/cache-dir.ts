import os from 'node:os';
import path from 'node:path';

/**
 * Where downloaded datasets live: $FIXCLF_DATA, else $XDG_CACHE_HOME/fixclf, else ~/.cache/fixclf.
 */
export function dataCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.FIXCLF_DATA) return path.resolve(env.FIXCLF_DATA);
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, 'fixclf');
  return path.join(os.homedir(), '.cache', 'fixclf');
}
