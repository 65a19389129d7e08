import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.mjs';

// shims: the addon is located from __dirname, which ESM output must emulate.
export default defineConfig(packageBuild({ shims: true }));
