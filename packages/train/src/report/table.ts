/** What `compare` needs to know of one run. */
export interface RunSummary {
  dir: string;
  model: string;
  dataset: string;
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
 * learned model's parameter count and the share of it the fixed classifier removes.
 */
export function comparisonTable(runs: RunSummary[]): string {
  const groups = new Map<string, RunSummary[]>();
  for (const r of runs) {
    const key = `${r.model}\u0000${r.dataset}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const lines = ['| network | dataset | learned | fixed | params | % params fixed |', '|---|---|---|---|---|---|'];
  for (const group of groups.values()) {
    const learned = group.filter((r) => r.classifier === 'learned');
    const fixed = group.filter((r) => r.classifier !== 'learned');
    const first = group[0]!;
    const rows = Math.max(1, fixed.length);
    for (let i = 0; i < rows; i++) {
      const l = learned[Math.min(i, learned.length - 1)];
      const f = fixed[i];
      // Parameters of the learned model; from a fixed run alone, add back what it replaced.
      const params = l ? l.trainable : f ? f.trainable + f.fixed - 1 : first.trainable;
      const fixedShare = f && params > 0 ? `${((100 * f.fixed) / params).toFixed(2)} %` : '—';
      const fixedCell = f ? `${pct(f.top1)}${fixed.length > 1 || f.classifier !== 'hadamard' ? ` (${f.classifier})` : ''}` : '—';
      lines.push(
        `| ${first.model} | ${first.dataset} | ${pct(l?.top1 ?? null)} | ${fixedCell} | ${params.toLocaleString('en-US')} | ${fixedShare} |`,
      );
    }
  }
  return lines.join('\n');
}
