import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.mjs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig(
  packageBuild({
    entry: ['src/index.ts', 'src/cli/main.ts'],
    external: [/^@tensorflow\//, /^@fixclf\//, 'sharp', 'commander', 'cli-progress'],
    // fixclf's version, written into dist/: a user's bundle of this package has no package.json of ours
    // to read it from (the sources, run by jest, still read it; see environment.ts).
    define: { __FIXCLF_VERSION__: JSON.stringify(version) },
    // shims: the sources' fallback (dead code once defined) names __dirname, which ESM output must still declare.
    shims: true,
  }),
);
