import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.mjs';

// Two entries: the layer, and '@fixclf/layers/serialization' (initializer/regularizer options of custom layers).
export default defineConfig(packageBuild({ entry: { index: 'src/index.ts', serialization: 'src/serialization.ts' } }));
