import { comparisonTable, type RunSummary, runsTable } from '../src/report/table';
import { rasterise } from '../src/compare';
import { errorPlotSvg, hasScales, scalePlotSvg } from '../src/report/plot';
import type { EpochRecord } from '../src/logging/metrics-log';

const run = (over: Partial<RunSummary>): RunSummary => ({
  dir: 'runs/x',
  model: 'resnet56',
  dataset: 'cifar10',
  classifier: 'learned',
  trainable: 855770,
  fixed: 0,
  top1: 93.03,
  epochs: 164,
  ...over,
});

describe('comparisonTable', () => {
  it('pairs learned and fixed runs only on the same source and classes, not on a shared folder name', () => {
    const table = comparisonTable([
      run({ dataset: 'images', source: '/data/a/images', numClasses: 2, top1: 60 }),
      run({ dataset: 'images', source: '/data/b/images', numClasses: 3, classifier: 'hadamard', fixed: 640, top1: 50 }),
    ]).split('\n');
    expect(table.slice(2)).toEqual([
      '| resnet56 | images | 60.00 % | — | 855,770 | — |',
      `| resnet56 | images | — | 50.00 % | ${(855770 + 640 - 1).toLocaleString('en-US')} | ${((100 * 640) / (855770 + 640 - 1)).toFixed(2)} % |`,
    ]);
  });

  it("lays learned and fixed runs out as the paper's Table 1", () => {
    const table = comparisonTable([
      run({}),
      run({ classifier: 'hadamard', trainable: 855770 - 640 + 1, fixed: 640, top1: 93.14 }),
      run({ model: 'densenet-bc-100', dataset: 'cifar100', trainable: 800032, top1: 77.73 }),
      run({
        model: 'densenet-bc-100',
        dataset: 'cifar100',
        classifier: 'hadamard',
        trainable: 800032 - 34200 + 1,
        fixed: 34200,
        top1: 77.67,
      }),
    ]).split('\n');
    expect(table[0]).toBe('| network | dataset | learned | fixed | params | % params fixed |');
    expect(table[2]).toBe(`| resnet56 | cifar10 | 93.03 % | 93.14 % | 855,770 | ${((100 * 640) / 855770).toFixed(2)} % |`);
    expect(table[3]).toBe('| densenet-bc-100 | cifar100 | 77.73 % | 77.67 % | 800,032 | 4.27 % |');
  });

  it('shows a missing side as a dash and names a non-Hadamard fixed matrix', () => {
    const table = comparisonTable([run({ classifier: 'orthogonal', trainable: 855131, fixed: 640, top1: 92 })]).split('\n');
    expect(table[2]).toBe(`| resnet56 | cifar10 | — | 92.00 % (orthogonal) | 855,770 | ${((100 * 640) / 855770).toFixed(2)} % |`);
  });

  it('gives each of several runs of one kind a row, named by its directory', () => {
    const share = `${((100 * 640) / 855770).toFixed(2)} %`;
    const hadamard = { classifier: 'hadamard', trainable: 855131, fixed: 640 };
    const table = comparisonTable([
      run({ dir: 'results/resnet56-learned' }),
      run({ ...hadamard, dir: 'results/resnet56-hadamard/', top1: 88.2 }),
      run({ ...hadamard, dir: 'results/resnet56-hadamard-no-alpha-decay', top1: 89.1 }),
    ]).split('\n');
    expect(table.slice(2)).toEqual([
      `| resnet56 | cifar10 | 93.03 % | 88.20 % (resnet56-hadamard) | 855,770 | ${share} |`,
      `| resnet56 | cifar10 | 93.03 % | 89.10 % (resnet56-hadamard-no-alpha-decay) | 855,770 | ${share} |`,
    ]);
    // Two learned runs and one fixed: both learned runs are shown, each beside the fixed one.
    const two = comparisonTable([run({ dir: 'a/seed0' }), run({ dir: 'a/seed1', top1: 92.5 }), run({ ...hadamard, top1: 93.14 })]).split(
      '\n',
    );
    expect(two.slice(2)).toEqual([
      `| resnet56 | cifar10 | 93.03 % (seed0) | 93.14 % | 855,770 | ${share} |`,
      `| resnet56 | cifar10 | 92.50 % (seed1) | 93.14 % | 855,770 | ${share} |`,
    ]);
  });
});

describe('runsTable', () => {
  const epoch = (e: number, over: Partial<EpochRecord>): EpochRecord => ({
    epoch: e,
    lr: 0.1,
    trainLoss: 1,
    trainError: 50 - e,
    valLoss: 1,
    valTop1: 50 + e,
    valTop5: 99,
    alpha: null,
    featureNorm: null,
    imagesPerSecond: 1,
    seconds: 1,
    ...over,
  });

  it('gives each run its last epoch, its best validation epoch, α, the feature norm and the summed training time', () => {
    const fixed = [
      epoch(1, { valTop1: 80.5, alpha: 7.25, featureNorm: 13.4, seconds: 1200.25 }),
      epoch(2, { valTop1: 88.125, alpha: 14, featureNorm: 6.5, seconds: 2400.5 }),
      epoch(3, { trainError: 2.2, valTop1: 87.9, alpha: 15.4321, featureNorm: 5.876, seconds: 3599.75 }),
    ];
    const learned = [epoch(1, { valTop1: 70, seconds: 61 }), epoch(2, { trainError: 1.16, valTop1: 88.72, featureNorm: 6.2, seconds: 64 })];
    const rows = runsTable([
      { label: 'resnet56-hadamard', records: fixed },
      { label: 'resnet56-learned', records: learned },
    ]).split('\n');
    expect(rows[0]).toBe('| run | epochs | training error | validation top-1 | best (epoch) | α | ‖features‖ | training time |');
    expect(rows).toHaveLength(4);
    // 1200.25 + 2400.5 + 3599.75 = 7200.5 s: 2 h 0 min; 61 + 64 = 125 s: 2 min 5 s.
    expect(rows[2]).toBe('| resnet56-hadamard | 3 | 2.20 % | 87.90 % | 88.13 % (2) | 15.43 | 5.88 | 2 h 0 min (7,201 s) |');
    expect(rows[3]).toBe('| resnet56-learned | 2 | 1.16 % | 88.72 % | 88.72 % (2) | — | 6.20 | 2 min 5 s (125 s) |');
  });

  it('shows dashes for a run without validation, and rounds hours and minutes together', () => {
    const rows = runsTable([
      { label: 'no-val', records: [epoch(1, { valTop1: null, featureNorm: null, seconds: 3599.6 + 3600 * 6 })] },
    ]).split('\n');
    // 25,199.6 s is 419.99 minutes: 7 h 0 min, not 6 h 60 min.
    expect(rows[2]).toBe('| no-val | 1 | 49.00 % | — | — | — | — | 7 h 0 min (25,200 s) |');
  });
});

describe('errorPlotSvg', () => {
  const records = (n: number, start: number): EpochRecord[] =>
    Array.from({ length: n }, (_, i) => ({
      epoch: i + 1,
      lr: 0.1,
      trainLoss: 1,
      trainError: start - i,
      valLoss: 1,
      valTop1: 100 - (start - i + 2),
      valTop5: 99,
      alpha: null,
      imagesPerSecond: 1,
      seconds: 1,
    }));

  it('draws a dashed training and a solid validation line per run, with a legend', () => {
    const svg = errorPlotSvg([
      { label: 'learned', records: records(5, 40) },
      { label: 'fixed <hadamard>', records: records(5, 42) },
    ]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const lines = svg.match(/<polyline [^>]*>/g)!;
    expect(lines).toHaveLength(4);
    expect(lines.filter((l) => l.includes('stroke-dasharray'))).toHaveLength(2);
    for (const l of lines) expect(l.match(/points="([^"]*)"/)![1]!.split(' ')).toHaveLength(5);
    expect(svg).toContain('fixed &lt;hadamard&gt;');
  });

  it('fits the legend inside the frame, however long the run names', () => {
    const right = 800 - 24; // the frame's right edge (width − right margin)
    for (const label of ['a', 'resnet56-hadamard-no-alpha-decay', 'x'.repeat(60)]) {
      const svg = errorPlotSvg([
        { label, records: records(3, 30) },
        { label: 'b', records: records(3, 31) },
      ]);
      const text = [...svg.matchAll(/<text x="([^"]*)" y="[^"]*" font-size="12">([^<]*)<\/text>/g)].find((t) => t[2] === label)!;
      // DejaVu Sans (the PNGs' font) at 12 px: at most 0.6 em a character.
      expect(Number(text[1]) + label.length * 0.6 * 12).toBeLessThanOrEqual(right);
      expect(Number(text[1])).toBeGreaterThan(64); // and starts inside the plot
    }
  });

  it('places points left to right by epoch, and a higher error higher on the page', () => {
    const svg = errorPlotSvg([{ label: 'a', records: records(3, 30) }]);
    const train = svg
      .match(/stroke-dasharray="6 4" points="([^"]*)"/)![1]!
      .split(' ')
      .map((p) => p.split(',').map(Number));
    expect(train[0]![0]).toBeLessThan(train[2]![0]!);
    expect(train[0]![1]).toBeLessThan(train[2]![1]!);
  });

  it('marks every point of a short run, so a one-epoch run shows up, and leaves long runs unmarked', () => {
    const one = errorPlotSvg([{ label: 'a', records: records(1, 30) }]);
    const circles = [...one.matchAll(/<circle cx="([^"]*)" cy="([^"]*)"[^>]*fill="([^"]*)"/g)];
    expect(circles).toHaveLength(2); // one training (hollow), one validation (filled) marker
    const polylinePoints = [...one.matchAll(/points="([^"]*)"/g)].map((m) => m[1]);
    expect(circles.map((c) => `${c[1]},${c[2]}`)).toEqual(polylinePoints);
    expect(circles.map((c) => c[3])).toEqual(['white', '#1f77b4']);
    expect(errorPlotSvg([{ label: 'a', records: records(164, 200) }])).not.toContain('<circle');
  });
});

describe('errorPlotSvg on a log axis', () => {
  const record = (epoch: number, trainError: number, valError: number): EpochRecord => ({
    epoch,
    lr: 0.1,
    trainLoss: 1,
    trainError,
    valLoss: 1,
    valTop1: 100 - valError,
    valTop5: 99,
    alpha: null,
    imagesPerSecond: 1,
    seconds: 1,
  });
  const pointsOf = (svg: string, dashed: boolean) =>
    svg
      .match(dashed ? /stroke-dasharray="6 4" points="([^"]*)"/ : /stroke-width="2" points="([^"]*)"/)![1]!
      .split(' ')
      .map((p) => p.split(',').map(Number) as [number, number]);

  it('puts equal ratios at equal heights, spans whole decades, and labels them', () => {
    // Training errors 40, 4, 0.4 %: each a tenth of the one before.
    const svg = errorPlotSvg([{ label: 'a', records: [record(1, 40, 50), record(2, 4, 20), record(3, 0.4, 12)] }], 't', { log: true });
    const train = pointsOf(svg, true);
    expect(train[1]![1] - train[0]![1]).toBeCloseTo(train[2]![1] - train[1]![1], 0);
    // Decades 0.1 to 100: three of them, so one decade is a third of the plot's height (500 − 44 − 56 px).
    expect(train[1]![1] - train[0]![1]).toBeCloseTo(400 / 3, 0);
    const labels = [...svg.matchAll(/text-anchor="end" font-size="12">([^<]*)</g)].map((l) => l[1]);
    expect(labels).toEqual(['0.1', '1', '10', '100']);
    expect(svg).toContain('error (%, log scale)');
  });

  it('leaves out a zero error, which a log axis cannot place', () => {
    const svg = errorPlotSvg([{ label: 'a', records: [record(1, 5, 20), record(2, 0, 10), record(3, 1, 9)] }], 't', { log: true });
    expect(pointsOf(svg, true).map((p) => p[0])).toEqual([pointsOf(svg, false)[0]![0], pointsOf(svg, false)[2]![0]]);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });
});

describe('scalePlotSvg', () => {
  const records = (n: number, alpha: boolean, normsFrom: number): EpochRecord[] =>
    Array.from({ length: n }, (_, i) => ({
      epoch: i + 1,
      lr: 0.1,
      trainLoss: 1,
      trainError: 10,
      valLoss: 1,
      valTop1: 90,
      valTop5: 99,
      alpha: alpha ? 5 + i : null,
      ...(i + 1 >= normsFrom ? { featureNorm: 20 - i } : {}),
      imagesPerSecond: 1,
      seconds: 1,
    }));

  it('draws α solid for a fixed head only, and feature norms dashed from the epoch they were recorded', () => {
    const series = [
      { label: 'learned', records: records(6, false, 3) },
      { label: 'hadamard', records: records(6, true, 3) },
    ];
    expect(hasScales(series)).toBe(true);
    const svg = scalePlotSvg(series);
    const lines = svg.match(/<polyline [^>]*>/g)!;
    expect(lines).toHaveLength(3); // two feature-norm lines, one α line
    const dashed = lines.filter((l) => l.includes('stroke-dasharray'));
    expect(dashed).toHaveLength(2);
    for (const l of dashed) expect(l.match(/points="([^"]*)"/)![1]!.split(' ')).toHaveLength(4); // epochs 3–6
    const alpha = lines.find((l) => !l.includes('stroke-dasharray'))!;
    const points = alpha
      .match(/points="([^"]*)"/)![1]!
      .split(' ')
      .map((p) => p.split(',').map(Number));
    expect(points).toHaveLength(6);
    expect(points[5]![1]).toBeLessThan(points[0]![1]!); // α grows: higher on the page
  });

  it('is not drawn for runs without α or feature norms', () => {
    expect(hasScales([{ label: 'old learned run', records: records(3, false, Infinity) }])).toBe(false);
  });
});

describe('rasterise', () => {
  it('renders an SVG to a PNG, and returns what went wrong instead of nothing when it cannot', async () => {
    const png = await rasterise(errorPlotSvg([{ label: 'a', records: [] }]));
    expect(png).toBeInstanceOf(Uint8Array);
    expect(
      Buffer.from(png as Uint8Array)
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    const failed = await rasterise('<svg');
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message.length).toBeGreaterThan(0);
  });
});
