#!/usr/bin/env node
// pnpm --filter @fixclf/backend-onednn bench
//
// In one run on this machine: (1) the oneDNN convolution ceiling on the ResNet-20 layer shapes;
// (2) CIFAR ResNet-20 / ResNet-56 training throughput at batch 128 on 'onednn'; (3) the same on TF.js's
// 'cpu' backend (small batch, few steps) and on PyTorch when `import torch` works (bench/torch_resnet.py,
// the same networks); (4) effective model
// GFLOP/s as a fraction of (1); (5) peak resident memory of each training run (each in its own process).
// (6) the fixed classifier's head kernels, JavaScript vs native (bench/head-kernels.bench.mjs).
// Options: --quick (fewer steps, one round), --repeat=N (rounds, default 3), --no-cpu, --no-torch, --no-head, --profile (per-kernel profiles of one onednn step of
// ResNet-20, ResNet-56 and DenseNet-BC-100), --bf16 (the onednn runs again with setPrecision('bf16'), and PyTorch under bf16 autocast),
// --no-fuse-batch-norm (tf.layers' batch norm as it is; by default each trains as one op, as `fixclf train` runs it),
// --no-fuse-trunk (the layers one by one; by default the trunk trains as one op, as `fixclf train` runs it).
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { convolutionCeiling, getThreads, onednnVersion, setThreads } from '../dist/index.js';
import { resnetCifarConvLayers } from './model-flops.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = new Set(process.argv.slice(2));
const quick = argv.has('--quick');

const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

// Every run gets all cores, as PyTorch does (torch_resnet.py): the backend's default follows the load
// average, which lags a minute behind a machine that was busy until just before the benchmark.
const childThreads = Number(process.env.FIXCLF_ONEDNN_THREADS) || os.cpus().length;
const childEnv = { ...process.env, FIXCLF_ONEDNN_THREADS: String(childThreads) };

function runChild(command, args) {
  const result = spawnSync(command, args, { cwd: path.resolve(here, '..'), encoding: 'utf8', maxBuffer: 1 << 26, env: childEnv });
  const line = result.stdout
    ?.trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  if (result.status !== 0 || line === undefined) {
    return { error: (result.stderr || result.error?.message || 'no output').trim().split('\n').slice(-3).join(' | ') };
  }
  return JSON.parse(line);
}

function trainTfjs(model, backend, batch, warmup, steps, profile = false, precision = 'fp32') {
  const args = [
    path.join(here, 'train-run.mjs'),
    '--model',
    model,
    '--backend',
    backend,
    '--batch',
    String(batch),
    '--warmup',
    String(warmup),
    '--steps',
    String(steps),
    '--precision',
    precision,
  ];
  if (profile) args.push('--profile');
  if (!argv.has('--no-fuse-batch-norm')) args.push('--fuse-batch-norm');
  if (!argv.has('--no-fuse-trunk')) args.push('--fuse-trunk');
  return runChild(process.execPath, args);
}

function torchPython() {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  return undefined;
}

setThreads(childThreads); // the ceiling below too
const load = os.loadavg();
const version = onednnVersion();
console.log(
  `oneDNN ${version.major}.${version.minor}.${version.patch} (${version.cpuRuntime}), ${getThreads()} threads, ` +
    `${os.cpus().length} cores (${os.cpus()[0]?.model}), Node ${process.version}, ` +
    `batch norm ${argv.has('--no-fuse-batch-norm') ? "as tf.layers' (--no-fuse-batch-norm)" : 'as one op (fuseBatchNormTraining)'}, ` +
    `trunk ${argv.has('--no-fuse-trunk') ? 'layer by layer (--no-fuse-trunk)' : 'as one op (fuseTrunkTraining)'}`,
);
console.log(
  `load average at start: ${load.map((l) => l.toFixed(2)).join(' ')}${load[0] > 2.5 ? '  (MACHINE BUSY: figures are pessimistic)' : ''}`,
);

// (1) the ceiling
const layers = resnetCifarConvLayers(20);
const ceiling = convolutionCeiling(layers, 128, { repetitions: quick ? 2 : 5 });
const plain = convolutionCeiling(layers, 128, { repetitions: quick ? 1 : 3, plainWeights: true });
console.log('\n(1) oneDNN convolution ceiling, ResNet-20 layer shapes, NHWC, batch 128, fwd + bwd-data + bwd-weights');
console.log(
  `    filters in oneDNN's blocked layout (what the backend uses): ${fmt(ceiling.gflops)} GFLOP/s ` +
    `(fwd ${fmt(ceiling.forwardGflops)}, bwd-data ${fmt(ceiling.backwardDataGflops)}, bwd-weights ${fmt(ceiling.backwardWeightsGflops)})`,
);
console.log(`    filters forced to TF.js's HWIO layout (GEMM fallback):      ${fmt(plain.gflops)} GFLOP/s`);

// (2)-(5) training runs. This machine's speed drifts by ±20 % within minutes (a cloud VM), so each
// configuration runs `--repeat` times (default 3), round-robin: every round runs them all one after the
// other, each ratio is taken within a round (the two runs minutes apart at most) and the median over
// rounds is reported, with the range.
const repeat = Math.max(1, Number(process.argv.find((a) => a.startsWith('--repeat='))?.slice('--repeat='.length) ?? (quick ? 1 : 3)));
const steps = quick ? 3 : 10;
const configs = [];
for (const model of ['resnet20', 'resnet56']) {
  const n = model === 'resnet56' ? Math.ceil(steps / 2) : steps;
  configs.push({ label: `${model} onednn`, run: () => trainTfjs(model, 'onednn', 128, quick ? 2 : 3, n) });
  if (argv.has('--bf16')) {
    configs.push({ label: `${model} onednn bf16`, run: () => trainTfjs(model, 'onednn', 128, quick ? 2 : 3, n, false, 'bf16') });
  }
}
if (!argv.has('--no-cpu')) {
  configs.push({ label: 'resnet20 cpu', once: true, run: () => trainTfjs('resnet20', 'cpu', 4, 1, 1) });
  configs.push({ label: 'resnet56 cpu', once: true, run: () => trainTfjs('resnet56', 'cpu', 2, 1, 1) });
}
const python = argv.has('--no-torch') ? undefined : torchPython();
if (python !== undefined) {
  for (const model of ['resnet20', 'resnet56']) {
    const torchArgs = (...extra) => [
      path.join(here, 'torch_resnet.py'),
      '--model',
      model,
      '--batch',
      '128',
      '--warmup',
      '3',
      '--steps',
      String(quick ? 3 : 8),
      ...extra,
    ];
    configs.push({ label: `${model} pytorch channels-last`, run: () => runChild(python, torchArgs('--channels-last')) });
    configs.push({ label: `${model} pytorch NCHW`, run: () => runChild(python, torchArgs()) });
    if (argv.has('--bf16')) {
      configs.push({ label: `${model} pytorch bf16 autocast`, run: () => runChild(python, torchArgs('--channels-last', '--bf16')) });
    }
  }
}

// rounds[i][label] = that round's result
const rounds = [];
for (let round = 0; round < repeat; round++) {
  const results = {};
  for (const config of configs) {
    if (config.once && round > 0) continue;
    const r = config.run();
    results[config.label] = r.precision === 'fp32' && config.label.endsWith('bf16') ? { ...r, label: `${config.label} (no bf16 here)` } : r;
  }
  rounds.push(results);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const range = (values) => (values.length > 1 ? ` (${fmt(Math.min(...values), 2)}–${fmt(Math.max(...values), 2)})` : '');
const runs = configs.map(({ label }) => {
  const ok = rounds.map((r) => r[label]).filter((r) => r !== undefined && !r.error);
  if (ok.length === 0) return { label, error: rounds.map((r) => r[label]?.error).find(Boolean) ?? 'did not run' };
  const rates = ok.map((r) => r.imagesPerSecond);
  return {
    ...ok[0],
    label: ok[0].label ?? label,
    imagesPerSecond: median(rates),
    rates,
    peakRssMB: Math.max(...ok.map((r) => r.peakRssMB)),
  };
});

console.log(
  `\n(2)(3)(5) training throughput, synthetic CIFAR batches, SGD with momentum; median of ${repeat} round${repeat > 1 ? 's' : ''}, ` +
    `${childThreads} threads each`,
);
console.log('    run                            batch  images/s  (each round)              step ms  peak RSS MB');
for (const r of runs) {
  if (r.error) console.log(`    ${r.label.padEnd(32)} failed: ${r.error}`);
  else
    console.log(
      `    ${r.label.padEnd(32)} ${String(r.batch).padStart(5)} ${fmt(r.imagesPerSecond).padStart(9)}  ${r.rates
        .map((v) => fmt(v, 0))
        .join(' / ')
        .padEnd(24)} ${fmt((r.batch / r.imagesPerSecond) * 1000, 0).padStart(7)} ${fmt(r.peakRssMB, 0).padStart(12)}`,
    );
}
if (python === undefined) {
  console.log(
    '    pytorch: skipped: torch not importable. The issue measured PyTorch 1.13 (Debian python3-torch, oneDNN 2.6.3) on this ' +
      'machine at 508 images/s (ResNet-20) and 206 (ResNet-56), channels-last, batch 128; 389 and 135 in NCHW; 0.9 GB peak RSS for ResNet-56.',
  );
}

const find = (label) => runs.find((r) => r.label === label && !r.error);
// The ratio of two configurations within each round, then the median over rounds.
const ratio = (a, b) => {
  const each = rounds.map((r) => (r[a] && !r[a].error && r[b] && !r[b].error ? r[a].imagesPerSecond / r[b].imagesPerSecond : NaN));
  const valid = each.filter(Number.isFinite);
  return valid.length === 0 ? undefined : `${fmt(median(valid), 2)}x${range(valid)}`;
};
console.log('\n    speed-ups (per round, median and range)');
for (const model of ['resnet20', 'resnet56']) {
  const cpu = find(`${model} cpu`);
  for (const label of [`${model} onednn`, `${model} onednn bf16`]) {
    const onednn = find(label);
    if (!onednn) continue;
    const parts = [];
    if (cpu) parts.push(`${fmt(onednn.imagesPerSecond / cpu.imagesPerSecond, 0)}x the cpu backend`);
    for (const [reference, name] of [
      [`${model} pytorch channels-last`, 'PyTorch channels-last'],
      [`${model} pytorch NCHW`, 'PyTorch NCHW'],
      [`${model} pytorch bf16 autocast`, 'PyTorch bf16 autocast (channels-last)'],
    ]) {
      const r = ratio(label, reference);
      if (r !== undefined) parts.push(`${r} ${name}`);
    }
    if (label.endsWith('bf16')) {
      const r = ratio(label, `${model} onednn`);
      if (r !== undefined) parts.push(`${r} onednn fp32`);
    }
    console.log(`    ${label}: ${parts.join(', ') || 'no reference ran'}`);
  }
}

// (4) effective throughput of the model's convolutions and matmuls
console.log('\n(4) effective model GFLOP/s (convolution + dense training FLOPs per image x images/s)');
for (const model of ['resnet20', 'resnet56']) {
  const r = find(`${model} onednn`);
  if (!r) continue;
  const gflops = (r.trainingFlopsPerImage * r.imagesPerSecond) / 1e9;
  console.log(
    `    ${model}: ${fmt(r.trainingFlopsPerImage / 1e6, 0)} MFLOP/image -> ${fmt(gflops)} GFLOP/s = ` +
      `${fmt((100 * gflops) / ceiling.gflops, 0)} % of the ceiling (${fmt((100 * gflops) / plain.gflops, 0)} % of the HWIO-layout ceiling)`,
  );
}

if (argv.has('--profile')) {
  for (const [model, batch] of [
    ['resnet20', 128],
    ['resnet56', 128],
    ['densenet-bc-100', 64],
  ]) {
    const r = trainTfjs(model, 'onednn', batch, 2, 1, true);
    if (r.error || !r.profile) continue;
    console.log(
      `\nper-kernel profile of one ${model} step at batch ${batch} (tf.profile; wall ${fmt(r.profile.wallMs, 0)} ms, kernels ${fmt(r.profile.kernelMs, 0)} ms;` +
        ' deferred work is charged to the kernel that first reads it)',
    );
    for (const k of r.profile.kernels.slice(0, 25)) {
      console.log(`    ${k.name.padEnd(32)} ${fmt(k.ms).padStart(8)} ms ${String(k.calls).padStart(5)} calls`);
    }
  }
}
console.log(
  `\nload average at end: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

// (6) the fixed classifier's head kernels: @fixclf/layers' JavaScript ones against the native ones
if (!argv.has('--no-head')) {
  console.log('\n(6) fixed-classifier head kernels (bench/head-kernels.bench.mjs)');
  const head = spawnSync(process.execPath, [path.join(here, 'head-kernels.bench.mjs'), ...(quick ? ['--quick'] : [])], {
    cwd: path.resolve(here, '..'),
    stdio: 'inherit',
  });
  if (head.status !== 0) console.log(`    head-kernels.bench.mjs failed (exit ${head.status})`);
}
