import type { EpochRecord } from '../logging/metrics-log';

export interface PlotSeries {
  label: string;
  records: EpochRecord[];
}

/** Runs of at most this many epochs get a marker per point. */
const MAX_MARKERS = 40;

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

/** What one plot shows of each run: a solid and a dashed quantity per epoch (null where absent). */
interface PlotSpec {
  title: string;
  yLabel: string;
  dashed: (r: EpochRecord) => number | null | undefined;
  solid: (r: EpochRecord) => number | null | undefined;
  /** A logarithmic y axis (positive values only: a zero has no place on it and is left out). */
  log?: boolean;
}

/**
 * The paper's Figure 2 as an SVG: training error (dashed) and validation error (solid) per epoch,
 * one colour per run. Plain SVG 1.1, no fonts beyond sans-serif, so any viewer or rasteriser
 * renders it. `log`: a logarithmic error axis, where a long run's last epochs show apart (training
 * errors of 0.2 % and 0.5 % are one line on a linear axis up to 100 %, and 2.5× apart on a log one).
 */
export function errorPlotSvg(
  series: PlotSeries[],
  title = 'Training (dashed) and validation (solid) error',
  options: { log?: boolean } = {},
): string {
  return runPlotSvg(series, {
    title,
    yLabel: options.log ? 'error (%, log scale)' : 'error (%)',
    dashed: (r) => r.trainError,
    solid: (r) => (r.valTop1 == null ? null : 100 - r.valTop1),
    log: options.log ?? false,
  });
}

/**
 * The fixed classifier's scale α (solid) and the mean norm of the features the classifier receives
 * (dashed) per epoch, one colour per run: what the paper's analysis of the fixed head follows. A learned
 * head has no α; epochs logged before feature norms were recorded have none.
 */
export function scalePlotSvg(series: PlotSeries[], title = 'Fixed-classifier α (solid) and mean feature norm (dashed)'): string {
  return runPlotSvg(series, { title, yLabel: 'α, ‖features‖', dashed: (r) => r.featureNorm, solid: (r) => r.alpha });
}

/** Whether any record of these runs has an α or a feature norm to plot. */
export function hasScales(series: PlotSeries[]): boolean {
  return series.some((s) => s.records.some((r) => r.alpha != null || r.featureNorm != null));
}

function runPlotSvg(series: PlotSeries[], spec: PlotSpec): string {
  const [width, height] = [800, 500];
  const m = { left: 64, right: 24, top: 44, bottom: 56 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const epochs = Math.max(1, ...series.flatMap((s) => s.records.map((r) => r.epoch)));
  const values = series.flatMap((s) => s.records.flatMap((r) => [spec.dashed(r), spec.solid(r)]));
  const plotted = (v: number | null | undefined): v is number => v != null && Number.isFinite(v) && (!spec.log || v > 0);
  const finite = values.filter(plotted);
  const x = (e: number) => m.left + (plotW * e) / epochs;
  let y: (v: number) => number;
  let yTicks: { at: number; label: string; major: boolean }[];
  if (spec.log) {
    // Whole decades, each with minor lines at 2× and 5×.
    const lo = Math.floor(Math.log10(Math.min(1, ...finite)));
    const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(1, ...finite))));
    y = (v: number) => m.top + plotH * (1 - (Math.min(Math.log10(v), hi) - lo) / (hi - lo));
    yTicks = [];
    for (let d = lo; d <= hi; d++) {
      yTicks.push({ at: 10 ** d, label: formatTick(10 ** d), major: true });
      if (d < hi) for (const f of [2, 5]) yTicks.push({ at: f * 10 ** d, label: '', major: false });
    }
  } else {
    const yMax = niceCeil(Math.max(1, ...finite));
    y = (v: number) => m.top + plotH * (1 - Math.min(v, yMax) / yMax);
    yTicks = ticks(0, yMax, 5).map((t) => ({ at: t, label: String(t), major: true }));
  }

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
  );
  parts.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  parts.push(`<text x="${width / 2}" y="24" text-anchor="middle" font-size="16">${escapeXml(spec.title)}</text>`);
  for (const t of yTicks) {
    const at = y(t.at).toFixed(1);
    parts.push(`<line x1="${m.left}" x2="${m.left + plotW}" y1="${at}" y2="${at}" stroke="${t.major ? '#e0e0e0' : '#f2f2f2'}"/>`);
    if (t.label) parts.push(`<text x="${m.left - 8}" y="${Number(at) + 4}" text-anchor="end" font-size="12">${t.label}</text>`);
  }
  for (const t of ticks(0, epochs, 8).filter(Number.isInteger)) {
    parts.push(`<text x="${x(t)}" y="${m.top + plotH + 18}" text-anchor="middle" font-size="12">${t}</text>`);
  }
  parts.push(`<rect x="${m.left}" y="${m.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${m.left + plotW / 2}" y="${height - 14}" text-anchor="middle" font-size="13">epoch</text>`);
  parts.push(
    `<text transform="translate(18 ${m.top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="13">${escapeXml(spec.yLabel)}</text>`,
  );

  // The legend, top right, as wide as its longest label (a run directory's name can be 30+ characters):
  // a white box, drawn over the curves, keeps them from running through the names.
  const legendWidth = 40 + Math.max(0, ...series.map((s) => textWidth(s.label, 12)));
  const legendX = m.left + plotW - 8 - legendWidth;
  const legend: string[] = [];
  if (series.length > 0) {
    legend.push(
      `<rect x="${legendX - 4}" y="${m.top + 4}" width="${legendWidth + 4}" height="${series.length * 18 + 8}" fill="white" fill-opacity="0.85"/>`,
    );
  }

  series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length]!;
    const line = (points: [number, number][], dash: boolean) => {
      if (points.length === 0) return '';
      const xy = points.map(([e, v]) => [x(e).toFixed(1), y(v).toFixed(1)] as const);
      const stroke = `stroke="${colour}" stroke-width="2"`;
      const path = `<polyline fill="none" ${stroke}${dash ? ' stroke-dasharray="6 4"' : ''} points="${xy.map((p) => p.join(',')).join(' ')}"/>`;
      // A line through one point draws nothing; markers show short runs (hollow: dashed quantity, filled:
      // solid) and are left out of long ones, where 164 of them would hide the curves.
      if (points.length > MAX_MARKERS) return path;
      const fill = dash ? 'white' : colour;
      return [path, ...xy.map(([cx, cy]) => `<circle cx="${cx}" cy="${cy}" r="3.5" fill="${fill}" ${stroke}/>`)].join('\n');
    };
    const points = (value: PlotSpec['solid']) =>
      s.records.flatMap((r): [number, number][] => {
        const v = value(r);
        return plotted(v) ? [[r.epoch, v]] : [];
      });
    parts.push(line(points(spec.dashed), true));
    parts.push(line(points(spec.solid), false));
    const ly = m.top + 16 + i * 18;
    legend.push(
      `<line x1="${legendX + 6}" x2="${legendX + 30}" y1="${ly - 4}" y2="${ly - 4}" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${legendX + 36}" y="${ly}" font-size="12">${escapeXml(s.label)}</text>`,
    );
  });
  parts.push(...legend, '</svg>');
  return parts.filter(Boolean).join('\n');
}

/**
 * A label's width in sans-serif at `fontSize`, generously: 0.6 em a character, where DejaVu Sans (what
 * the PNGs are rendered with) averages ~0.55 em over run names' lower case, digits and '-'.
 */
function textWidth(label: string, fontSize: number): number {
  return Math.ceil([...label].length * 0.6 * fontSize);
}

/** 0.01, 0.1, 1, 10, 100 without float noise. */
function formatTick(v: number): string {
  return String(Number(v.toPrecision(1)));
}

function niceCeil(v: number): number {
  const step = 10 ** Math.floor(Math.log10(v));
  for (const f of [1, 2, 2.5, 5, 10]) if (f * step >= v) return f * step;
  return 10 * step;
}

function ticks(from: number, to: number, count: number): number[] {
  const raw = (to - from) / count;
  const step = niceCeil(raw);
  const out: number[] = [];
  for (let t = from; t <= to + 1e-9; t += step) out.push(Math.round(t * 1e6) / 1e6);
  return out;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
