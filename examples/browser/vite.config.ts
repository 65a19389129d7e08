import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Connect, type Plugin } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The committed run this page classifies with: run.json and checkpoint/model/{model.json, weights}. */
export const RUN_DIR = path.resolve(here, '../cifar/results/resnet20-hadamard');

/**
 * The files the page fetches under model/: the checkpoint's model.json, every weights file its
 * weightsManifest names (resolved relative to model.json, as tfjs' http loader resolves them), and the
 * run's run.json (class names, preprocessing). Read from the run directory, never copied into the repo.
 */
export function checkpointFiles(runDir: string): Map<string, string> {
  const modelDir = path.join(runDir, 'checkpoint', 'model');
  const modelJson = path.join(modelDir, 'model.json');
  const manifest = JSON.parse(readFileSync(modelJson, 'utf8')) as { weightsManifest?: { paths: string[] }[] };
  const files = new Map<string, string>([
    ['model/model.json', modelJson],
    ['model/run.json', path.join(runDir, 'run.json')],
  ]);
  for (const group of manifest.weightsManifest ?? []) {
    for (const p of group.paths) {
      const file = path.resolve(modelDir, p);
      if (!file.startsWith(modelDir + path.sep)) throw new Error(`${modelJson}: weights path ${p} leaves the checkpoint directory`);
      files.set(`model/${p.split(path.sep).join('/')}`, file);
    }
  }
  return files;
}

/** Serves the checkpoint under <base>model/ in `vite dev` and emits it into dist/model/ on `vite build`. */
function checkpoint(runDir: string): Plugin {
  let base = '/';
  const middleware: Connect.NextHandleFunction = (req, res, next) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent((req.url ?? '/').split(/[?#]/)[0]!);
    } catch {
      return next();
    }
    const file = pathname.startsWith(base) ? checkpointFiles(runDir).get(pathname.slice(base.length)) : undefined;
    if (!file) return next();
    res.setHeader('Content-Type', file.endsWith('.json') ? 'application/json' : 'application/octet-stream');
    res.setHeader('Cache-Control', 'no-cache');
    createReadStream(file).on('error', next).pipe(res);
  };
  return {
    name: 'fixclf-checkpoint',
    configResolved(config) {
      base = config.base.startsWith('/') ? config.base : '/';
    },
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    buildStart() {
      for (const file of checkpointFiles(runDir).values()) this.addWatchFile(file);
    },
    generateBundle() {
      for (const [fileName, file] of checkpointFiles(runDir)) {
        this.emitFile({ type: 'asset', fileName, source: readFileSync(file) });
      }
    },
  };
}

export default defineConfig({
  // Relative URLs: dist/ works from any path of any static server.
  base: './',
  plugins: [checkpoint(RUN_DIR)],
  build: {
    // tfjs alone is ~1.5 MB minified; one chunk is expected.
    chunkSizeWarningLimit: 4096,
  },
});
