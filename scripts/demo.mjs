// `pnpm demo`, the Quick start's main job: trains a small ResNet twice on the embedded synthetic
// dataset — once with a learned classifier, once with the paper's fixed Hadamard classifier —
// then prints the paper's Table 1 for the two runs and writes its Figure 2.
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareRuns, selectBackend, trainRun } from '@fixclf/train';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
const out = path.join(root, 'runs', `demo-${stamp}`);
const common = {
  model: 'resnet20',
  dataset: 'synthetic',
  syntheticSize: Number(process.env.DEMO_IMAGES ?? 5000),
  regime: 'onecycle',
  epochs: Number(process.env.DEMO_EPOCHS ?? 15),
  lr: 0.1,
  seed: 0,
};

// Two ResNet-20 trainings take minutes on a fast backend and days on the pure-JS one: stop early
// and say what to install rather than appear to hang.
const backend = await selectBackend('auto');
if (backend.name === 'cpu') {
  console.error(
    `fixclf demo: no fast TF.js backend here (${backend.reason}).\n` +
      'The demo trains two ResNet-20s, which takes minutes on oneDNN and days on the pure-JS cpu backend.\n' +
      'Install oneDNN (Debian/Ubuntu: apt-get install -y libdnnl-dev; elsewhere: oneDNN 2.7 built from source, DNNLROOT set), then run pnpm install && pnpm demo again.',
  );
  process.exit(1);
}

console.log(
  `fixclf demo: ResNet-20 on ${common.syntheticSize} synthetic 32×32 images (10 classes), ${common.epochs} epochs of one-cycle SGD, twice.\n`,
);
const runs = [];
const speeds = [];
for (const classifier of ['learned', 'hadamard']) {
  const dir = path.join(out, `resnet20-${classifier}`);
  console.log(`— ${classifier} classifier → ${path.relative(root, dir)}`);
  const { records } = await trainRun({ ...common, classifier, out: dir });
  speeds.push(...records.map((r) => r.imagesPerSecond));
  runs.push(dir);
  console.log();
}

const { table, files } = await compareRuns(runs, out);
console.log(table);
console.log(`\nwritten: ${files.map((f) => path.relative(root, f)).join(', ')}`);

// Where @fixclf/datasets keeps downloads (its dataCacheDir): $FIXCLF_DATA, $XDG_CACHE_HOME/fixclf, ~/.cache/fixclf.
const cache = process.env.FIXCLF_DATA ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'fixclf');
const cifar = [path.join(root, '..', 'shared', 'data', 'cifar10-jpeg', 'train.tar.gz'), path.join(cache, 'cifar-10-batches-bin')].find(
  (p) => existsSync(p),
);
if (cifar) {
  // The same network at the same batch size as this demo, so this machine's time follows from the demo's
  // speed: decoding the JPEGs costs little beside training (the committed quick pair's fp32 epochs took
  // 41–42 s, ~1,080 images/s, where the bench trains from memory at 978–1,210). It took 70 minutes on the
  // 2 AVX-512 cores where this demo runs at ~1,000 images/s; an AVX2-only host runs it at ~210.
  const images = 2 * 50 * (cifar.endsWith('.tar.gz') ? 45_000 : 50_000);
  const speed = speeds.reduce((a, b) => a + b, 0) / speeds.length;
  const minutes = (images / speed / 60) * 1.05; // + the validation passes
  const time = minutes < 90 ? `${Math.round(minutes / 5) * 5} minutes` : `${Math.round(minutes / 30) / 2} hours`;
  console.log(
    `\nCIFAR-10 found at ${cifar}. The real comparison (ResNet-20, learned vs fixed; about ${time} here, at this demo's ${Math.round(speed)} images/s):`,
  );
  console.log('  pnpm --filter @fixclf/example-cifar reproduce --quick');
}
