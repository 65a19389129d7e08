import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.mjs';

// Two entries: what a user needs, and '@fixclf/hadamard/constructions' (the individual constructions and their ingredients).
export default defineConfig(packageBuild({ entry: { index: 'src/index.ts', constructions: 'src/constructions.ts' } }));
