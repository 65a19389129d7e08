import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { exists, writeFileAtomic } from './io/atomic';
import { readMetrics } from './logging/metrics-log';
import { errorPlotSvg, hasScales, scalePlotSvg } from './report/plot';
import { pairedComparison, type PairedResult, pairedTable } from './report/paired';
import { comparisonTable, type RunSummary, runName, runsTable } from './report/table';
import { type RunConfig, readRun } from './run-dir';
import { checkOutPath, runDataset, sameSource } from './run-files';

export interface Comparison {
  /** The paper's Table 1 for the runs. */
  table: string;
  /** One row per run: epochs, final and best errors, α, feature norm, training time (runsTable). */
  runsTable: string;
  svg: string;
  /** Figure 2 with a logarithmic error axis, where the last epochs' training errors show apart. */
  logSvg: string;
  /** α and feature norms per epoch (scalePlotSvg), when any run recorded them. */
  scaleSvg: string | null;
  /** With `paired`: the two runs image by image (pairedTable) and the figures behind it. */
  paired: { table: string; result: PairedResult } | null;
  /** Files written (table, SVGs, PNGs when a rasteriser is available). */
  files: string[];
  /** What could not be written (a PNG sharp could not render), one line each. */
  notes: string[];
}

export interface CompareOptions {
  /**
   * Also evaluate two runs' last checkpoints on the same split, image by image (pairedTable: whether
   * their accuracies differ beyond chance). Needs a backend (the caller's current one) and the data.
   */
  paired?: 'validation' | 'test' | 'train' | undefined;
  /**
   * For `paired`: where the runs' data lies here, when not at the path they recorded (another machine,
   * moved data). Both runs are scored on it; their recorded sources must still be one source.
   */
  dataset?: string | undefined;
  /** Evaluation batch size and decoding threads for `paired`. */
  batchSize?: number | undefined;
  workers?: number | undefined;
}

/**
 * The paper's Table 1 (Markdown) and Figure 2 (training/validation error per epoch) for a set of
 * run directories, written to `outDir` as comparison.md (with a row per run below Table 1: where it
 * ended, its best epoch, α, the feature norm and its training time), errors.svg and errors.png (and
 * errors-log.svg/.png, the same on a logarithmic error axis); and,
 * when the runs recorded them, α and the mean feature norm per epoch as scales.svg and scales.png.
 */
export async function compareRuns(runDirs: string[], outDir: string, options: CompareOptions = {}): Promise<Comparison> {
  if (runDirs.length === 0) throw new Error('compare: give at least one run directory.');
  // Before any run is read or evaluated: a bad --out was found only once all that work was done.
  await checkOutPath(path.resolve(outDir), 'a directory for the comparison');
  if (options.paired && runDirs.length !== 2) {
    throw new Error(`compare --paired: compares two runs image by image; got ${runDirs.length} run directories.`);
  }
  const runs = await Promise.all(
    runDirs.map(async (dir) => {
      const config = await readRun(dir);
      const records = await readMetrics(dir);
      if (records.length === 0) {
        const log = path.join(dir, 'metrics.jsonl');
        throw new Error(`${dir} has no completed epoch (${(await exists(log)) ? `empty ${log}` : `no ${log}`}).`);
      }
      const summary: RunSummary = {
        dir,
        model: config.model,
        dataset: config.dataset === 'synthetic' || /^cifar/.test(config.dataset) ? config.dataset : path.basename(config.dataset),
        source: path.resolve(runDataset(config, path.resolve(dir))), // one form for one source ('cifar10' too)
        numClasses: config.numClasses,
        classifier: config.classifier,
        trainable: config.params.trainable,
        fixed: config.params.fixed,
        top1: records.at(-1)!.valTop1,
        epochs: records.length,
      };
      return { summary, records, config, label: `${config.model} ${config.classifier}` };
    }),
  );
  const names = runs.map((r) => runName(path.resolve(r.summary.dir)));
  let paired: Comparison['paired'] = null;
  if (options.paired) {
    const [first, second] = runs as [(typeof runs)[0], (typeof runs)[0]];
    assertSameImages(first.summary.dir, first.config, second.summary.dir, second.config, options.paired);
    const { evaluateRun, midEpochNote } = await import('./evaluate-run');
    const correct: Uint8Array[] = [];
    const notes: string[] = [];
    for (const run of [first, second]) {
      const scored = await evaluateRun(run.summary.dir, {
        split: options.paired,
        perImage: true,
        ...(options.dataset != null ? { dataset: options.dataset } : {}),
        ...(options.batchSize != null ? { batchSize: options.batchSize } : {}),
        ...(options.workers != null ? { workers: options.workers } : {}),
      });
      correct.push(scored.correct!);
      if (scored.checkpoint.step > 0) notes.push(midEpochNote(run.summary.dir, scored.checkpoint));
    }
    const result = pairedComparison(correct[0]!, correct[1]!);
    const table = pairedTable(names[0]!, names[1]!, options.paired, result);
    paired = { table: notes.length > 0 ? `${table}\n\n${notes.join('\n')}` : table, result };
  }
  const table = comparisonTable(runs.map((r) => r.summary));
  // The legend says network and head; where two runs share both, it names their directories instead.
  const series = runs.map((r, i) => ({
    label: runs.filter((o) => o.label === r.label).length > 1 ? names[i]! : r.label,
    records: r.records,
  }));
  const perRun = runsTable(runs.map((r, i) => ({ label: names[i]!, records: r.records })));
  const svg = errorPlotSvg(series);
  const logSvg = errorPlotSvg(series, undefined, { log: true });
  const scaleSvg = hasScales(series) ? scalePlotSvg(series) : null;
  await fs.mkdir(outDir, { recursive: true });
  const files = [path.join(outDir, 'comparison.md')];
  const notes: string[] = [];
  await writeFileAtomic(files[0]!, `${table}\n\n${perRun}\n${paired ? `\n${paired.table}\n` : ''}`);
  for (const [name, image] of [
    ['errors', svg],
    ['errors-log', logSvg],
    ['scales', scaleSvg],
  ] as const) {
    if (image === null) continue;
    const file = path.join(outDir, `${name}.svg`);
    await writeFileAtomic(file, image + '\n');
    files.push(file);
    const png = await rasterise(image);
    if (png instanceof Uint8Array) {
      files.push(path.join(outDir, `${name}.png`));
      await writeFileAtomic(files.at(-1)!, png);
    } else {
      notes.push(`note: ${name}.png not written: sharp could not render ${name}.svg (${png.message}); the SVG is there.`);
    }
  }
  return { table, runsTable: perRun, svg, logSvg, scaleSvg, paired, files, notes };
}

/** A paired comparison needs both runs' split to hold the same images in the same order. */
function assertSameImages(dirA: string, a: RunConfig, dirB: string, b: RunConfig, split: 'validation' | 'test' | 'train'): void {
  const sourceA = runDataset(a, dirA);
  const sourceB = runDataset(b, dirB);
  const differ = (what: string) =>
    new Error(`compare --paired ${split}: ${dirA} and ${dirB} ${what}, so their ${split} images differ; pair runs of the same data.`);
  if (!sameSource(sourceA, sourceB)) throw differ(`were trained on different data (${sourceA}, ${sourceB})`);
  if (sourceA === 'synthetic' && split !== 'test' && a.syntheticSize !== b.syntheticSize) {
    throw differ(`drew ${a.syntheticSize ?? 'the default number of'} and ${b.syntheticSize ?? 'the default number of'} synthetic images`);
  }
  if (split === 'validation') {
    const [va, vb] = [holdoutOf(dirA, a), holdoutOf(dirB, b)];
    if (va.fraction !== vb.fraction || va.seed !== vb.seed) {
      throw differ(`held out different images (fraction ${va.fraction}, seed ${va.seed} against fraction ${vb.fraction}, seed ${vb.seed})`);
    }
  }
}

function holdoutOf(dir: string, config: RunConfig): { fraction: number; seed: number } {
  const v = config.validation;
  if (v.kind === 'holdout') return v;
  throw new Error(
    `compare --paired validation: ${dir} has no hold-out (it was validated on ${v.kind === 'test' ? "its source's test split" : 'nothing'}); use --paired test.`,
  );
}

/** SVG → PNG with sharp (libvips + librsvg); the error when sharp is missing or cannot render it. */
export async function rasterise(svg: string): Promise<Uint8Array | Error> {
  try {
    const sharp = (await import('sharp')).default;
    return await sharp(Buffer.from(svg), { density: 144 }).png().toBuffer();
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
