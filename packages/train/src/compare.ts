import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './io/atomic';
import { readMetrics } from './logging/metrics-log';
import { errorPlotSvg } from './report/plot';
import { comparisonTable, type RunSummary } from './report/table';
import { readRun } from './run-dir';

export interface Comparison {
  table: string;
  svg: string;
  /** Files written (table, SVG, PNG when a rasteriser is available). */
  files: string[];
}

/**
 * The paper's Table 1 (Markdown) and Figure 2 (training/validation error per epoch) for a set of
 * run directories, written to `outDir` as comparison.md, errors.svg and errors.png.
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
  const svg = errorPlotSvg(runs.map((r) => ({ label: r.label, records: r.records })));
  await fs.mkdir(outDir, { recursive: true });
  const files = [path.join(outDir, 'comparison.md'), path.join(outDir, 'errors.svg')];
  await writeFileAtomic(files[0]!, table + '\n');
  await writeFileAtomic(files[1]!, svg + '\n');
  const png = await rasterise(svg);
  if (png) {
    files.push(path.join(outDir, 'errors.png'));
    await writeFileAtomic(files[2]!, png);
  }
  return { table, svg, files };
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
