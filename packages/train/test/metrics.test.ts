import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MetricsLog, readMetrics } from '../src/logging/metrics-log';
import { EpochMeter, topKHits } from '../src/metrics';

describe('topKHits', () => {
  it('counts rows whose label ranks among the k largest scores', () => {
    const logits = [
      0.1,
      0.9,
      0.0,
      0.5, // label 1: rank 1
      0.9,
      0.1,
      0.8,
      0.7, // label 3: rank 3
      0.2,
      0.3,
      0.4,
      0.1, // label 3: rank 4
    ];
    const labels = [1, 3, 3];
    expect(topKHits(logits, labels, 4, 1)).toBe(1);
    expect(topKHits(logits, labels, 4, 2)).toBe(1);
    expect(topKHits(logits, labels, 4, 3)).toBe(2);
    expect(topKHits(logits, labels, 4, 4)).toBe(3);
  });

  it('ranks ties as argmax does, the lower class first, so a tie never counts twice', () => {
    const equal = [0.5, 0.5, 0.5, 0.5];
    // argmax as tf.argMax and torch.argmax give it: the first index of the largest score.
    const argmax = equal.indexOf(Math.max(...equal));
    expect([0, 1, 2, 3].map((label) => topKHits(equal, [label], 4, 1))).toEqual([0, 1, 2, 3].map((label) => (label === argmax ? 1 : 0)));
    expect([0, 1, 2, 3].map((label) => topKHits(equal, [label], 4, 2))).toEqual([1, 1, 0, 0]);
    // Two classes tied for the top: one of them is the prediction, so at most one of two rows labelled with them is a top-1 hit.
    const tied = [0.1, 0.9, 0.9, 0.2];
    expect(topKHits([...tied, ...tied], [1, 2], 4, 1)).toBe(1);
    expect(topKHits([...tied, ...tied], [1, 2], 4, 2)).toBe(2);
  });

  it('never counts a NaN score as a hit', () => {
    expect(topKHits([NaN, 0, 0], [0], 3, 3)).toBe(0);
  });
});

describe('EpochMeter', () => {
  it('weights each batch loss by its size and reports percentages', () => {
    const m = new EpochMeter();
    m.add(1, 10, 5, 9);
    m.add(4, 30, 30, 30);
    expect(m.summary()).toEqual({ loss: (10 + 120) / 40, top1: 87.5, top5: 97.5, count: 40 });
    expect(new EpochMeter(m.state()).summary()).toEqual(m.summary());
  });
});

describe('MetricsLog', () => {
  it('rewrites a log from before featureNorm with the column, empty for the epochs that lack it', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fixclf-metrics-'));
    try {
      const old = {
        epoch: 1,
        lr: 0.1,
        trainLoss: 2,
        trainError: 80,
        valLoss: 1.5,
        valTop1: 40,
        valTop5: 90,
        alpha: 7.5,
        imagesPerSecond: 180,
        seconds: 250,
      };
      await fs.writeFile(
        path.join(dir, 'metrics.csv'),
        'epoch,lr,trainLoss,trainError,valLoss,valTop1,valTop5,alpha,imagesPerSecond,seconds\n1,0.1,2,80,1.5,40,90,7.5,180,250\n',
      );
      await fs.writeFile(path.join(dir, 'metrics.jsonl'), JSON.stringify(old) + '\n');
      const log = new MetricsLog(dir);
      await log.repair([old]);
      await log.append({ ...old, epoch: 2, featureNorm: 12.5 });
      const csv = (await fs.readFile(path.join(dir, 'metrics.csv'), 'utf8')).trim().split('\n');
      expect(csv).toEqual([
        'epoch,lr,trainLoss,trainError,valLoss,valTop1,valTop5,alpha,featureNorm,imagesPerSecond,seconds',
        '1,0.1,2,80,1.5,40,90,7.5,,180,250',
        '2,0.1,2,80,1.5,40,90,7.5,12.5,180,250',
      ]);
      expect((await readMetrics(dir)).map((r) => r.featureNorm ?? null)).toEqual([null, 12.5]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
