import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './io/atomic';
import { readMetrics } from './logging/metrics-log';
import { errorPlotSvg, hasScales, scalePlotSvg } from './report/plot';
import { comparisonTable, type RunSummary, runsTable } from './report/table';
import { readRun } from './run-dir';

export interface Comparison {
  /** The paper's Table 1 for the runs. */
  table: string;
  /** One row per run: epochs, final and best errors, α, feature norm, training time (runsTable). */
  runsTable: string;
  svg: string;
  /** α and feature norms per epoch (scalePlotSvg), when any run recorded them. */
  scaleSvg: string | null;
  /** Files written (table, SVGs, PNGs when a rasteriser is available). */
  files: string[];
}

/**
 * The paper's Table 1 (Markdown) and Figure 2 (training/validation error per epoch) for a set of
 * run directories, written to `outDir` as comparison.md (with a row per run below Table 1: where it
 * ended, its best epoch, α, the feature norm and its training time), errors.svg and errors.png; and,
 * when the runs recorded them, α and the mean feature norm per epoch as scales.svg and scales.png.
 */
export async function compareRuns(runDirs: string[], outDir: string): Promise<Comparison> {
  if (runDirs.length === 0) throw new Error('compare: give at least one run directory.');
  const runs = await Promise.all(
    runDirs.map(async (dir) => {
      const config = await readRun(dir);
      const records = await readMetrics(dir);
      if (records.length === 0) throw new Error(`${dir} has no completed epoch (empty ${path.join(dir, 'metrics.jsonl')}).`);
      const summary: RunSummary = {
        dir,
        model: config.model,
        dataset: config.dataset === 'synthetic' || /^cifar/.test(config.dataset) ? config.dataset : path.basename(config.dataset),
        classifier: config.classifier,
        trainable: config.params.trainable,
        fixed: config.params.fixed,
        top1: records.at(-1)!.valTop1,
        epochs: records.length,
      };
      return { summary, records, label: `${config.model} ${config.classifier}` };
    }),
  );
  const table = comparisonTable(runs.map((r) => r.summary));
  const series = runs.map((r) => ({ label: r.label, records: r.records }));
  const perRun = runsTable(runs.map((r) => ({ label: path.basename(path.resolve(r.summary.dir)), records: r.records })));
  const svg = errorPlotSvg(series);
  const scaleSvg = hasScales(series) ? scalePlotSvg(series) : null;
  await fs.mkdir(outDir, { recursive: true });
  const files = [path.join(outDir, 'comparison.md')];
  await writeFileAtomic(files[0]!, `${table}\n\n${perRun}\n`);
  for (const [name, image] of [
    ['errors', svg],
    ['scales', scaleSvg],
  ] as const) {
    if (image === null) continue;
    const file = path.join(outDir, `${name}.svg`);
    await writeFileAtomic(file, image + '\n');
    files.push(file);
    const png = await rasterise(image);
    if (png) {
      files.push(path.join(outDir, `${name}.png`));
      await writeFileAtomic(files.at(-1)!, png);
    }
  }
  return { table, runsTable: perRun, svg, scaleSvg, files };
}

/** SVG → PNG with sharp (libvips + librsvg), when it is installed. */
async function rasterise(svg: string): Promise<Uint8Array | null> {
  try {
    const sharp = (await import('sharp')).default;
    return await sharp(Buffer.from(svg), { density: 144 }).png().toBuffer();
  } catch {
    return null;
  }
}
