import type { EpochRecord } from '../logging/metrics-log';

/** What `compare` needs to know of one run. */
export interface RunSummary {
  dir: string;
  model: string;
  /** The dataset as the table shows it (a path's last component). */
  dataset: string;
  /**
   * Where the data came from (resolved), and its classes: runs are paired as learned vs fixed only on the
   * same source and classes (two folders both named `images` are not one dataset). Default: `dataset`.
   */
  source?: string;
  numClasses?: number;
  /** 'learned' or the fixed matrix kind. */
  classifier: string;
  /** Trainable parameters of the model as trained. */
  trainable: number;
  /** Parameters the fixed classifier replaced (0 for a learned head). */
  fixed: number;
  /** Final validation top-1 accuracy, percent (null when the run has no validation). */
  top1: number | null;
  epochs: number;
}

const pct = (v: number | null) => (v == null ? '—' : `${v.toFixed(2)} %`);

/**
 * The paper's Table 1: one row per (network, dataset) with the learned and fixed accuracies, the
 * learned model's parameter count and the share of it the fixed classifier removes. Several runs of a
 * kind for one network (two learned runs, or fixed runs of one matrix trained differently) each get a
 * row, their cell named by the run's directory.
 */
export function comparisonTable(runs: RunSummary[]): string {
  const groups = new Map<string, RunSummary[]>();
  for (const r of runs) {
    const key = `${r.model}\u0000${r.source ?? r.dataset}\u0000${r.numClasses ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const lines = ['| network | dataset | learned | fixed | params | % params fixed |', '|---|---|---|---|---|---|'];
  for (const group of groups.values()) {
    const learned = group.filter((r) => r.classifier === 'learned');
    const fixed = group.filter((r) => r.classifier !== 'learned');
    const first = group[0]!;
    const repeated = (r: RunSummary) => group.filter((o) => o.classifier === r.classifier).length > 1;
    const rows = Math.max(1, learned.length, fixed.length);
    for (let i = 0; i < rows; i++) {
      const l = learned[Math.min(i, learned.length - 1)];
      const f = fixed[Math.min(i, fixed.length - 1)];
      // Parameters of the learned model; from a fixed run alone, add back what it replaced.
      const params = l ? l.trainable : f ? f.trainable + f.fixed - 1 : first.trainable;
      const fixedShare = f && params > 0 ? `${((100 * f.fixed) / params).toFixed(2)} %` : '—';
      const learnedCell = l ? `${pct(l.top1)}${repeated(l) ? ` (${runName(l.dir)})` : ''}` : '—';
      const fixedNote = f && repeated(f) ? runName(f.dir) : f && (fixed.length > 1 || f.classifier !== 'hadamard') ? f.classifier : null;
      const fixedCell = f ? `${pct(f.top1)}${fixedNote ? ` (${fixedNote})` : ''}` : '—';
      lines.push(
        `| ${first.model} | ${first.dataset} | ${learnedCell} | ${fixedCell} | ${params.toLocaleString('en-US')} | ${fixedShare} |`,
      );
    }
  }
  return lines.join('\n');
}

/** A run's name in tables and legends: its directory's last component. */
export function runName(dir: string): string {
  return (
    dir
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .at(-1) || dir
  );
}

/** What the per-run table needs of one run: its label and its epochs as logged. */
export interface RunHistory {
  label: string;
  records: readonly EpochRecord[];
}

const fixed2 = (v: number | null | undefined) => (v == null ? '—' : v.toFixed(2));

/** 25,057 s → "6 h 58 min"; under an hour, minutes and seconds. */
function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  const minutes = Math.round(s / 60);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * One row per run: how far it got and where it ended — epochs, the last epoch's training error and
 * validation top-1, the best validation top-1 and its epoch, α and the mean feature norm after the last
 * epoch, and the training time: the epochs' own seconds summed (validation and start-up excluded, so
 * runs interrupted and resumed compare with runs that went through).
 */
export function runsTable(runs: readonly RunHistory[]): string {
  const lines = [
    '| run | epochs | training error | validation top-1 | best (epoch) | α | ‖features‖ | training time |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const { label, records } of runs) {
    const last = records.at(-1);
    if (last === undefined) continue;
    let best: EpochRecord | undefined;
    for (const r of records) if (r.valTop1 != null && (best === undefined || r.valTop1 > best.valTop1!)) best = r;
    const seconds = records.reduce((sum, r) => sum + r.seconds, 0);
    lines.push(
      `| ${label} | ${last.epoch} | ${pct(last.trainError)} | ${pct(last.valTop1)} | ${best ? `${pct(best.valTop1)} (${best.epoch})` : '—'} | ` +
        `${fixed2(last.alpha)} | ${fixed2(last.featureNorm)} | ${formatDuration(seconds)} (${Math.round(seconds).toLocaleString('en-US')} s) |`,
    );
  }
  return lines.join('\n');
}
