import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.mjs';

export default defineConfig(
  packageBuild({
    entry: ['src/index.ts', 'src/cli/main.ts'],
    external: [/^@tensorflow\//, /^@fixclf\//, 'sharp', 'commander', 'cli-progress'],
  }),
);
