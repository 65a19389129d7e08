/**
 * Top-k hits of a batch of logits ([batch, classes], row-major): how many rows rank their true
 * label among the k largest. Ties rank as argmax and a stable sort rank them, the lower class index
 * first, so a row of equal scores is a hit for class 0 only and a tie never counts twice (rounded
 * bf16 logits tie now and then). A non-finite score of the label is never a hit.
 */
export function topKHits(logits: ArrayLike<number>, labels: ArrayLike<number>, classes: number, k: number): number {
  let hits = 0;
  for (const hit of topKMask(logits, labels, classes, k)) hits += hit;
  return hits;
}

/** Per row of the batch, 1 where topKHits counts a hit, else 0. */
export function topKMask(logits: ArrayLike<number>, labels: ArrayLike<number>, classes: number, k: number): Uint8Array {
  const mask = new Uint8Array(labels.length);
  for (let r = 0; r < labels.length; r++) {
    const label = labels[r]!;
    const score = logits[r * classes + label]!;
    let ahead = 0;
    for (let c = 0; c < classes && ahead < k; c++) {
      const other = logits[r * classes + c]!;
      if (other > score || (other === score && c < label)) ahead++;
    }
    if (ahead < k && Number.isFinite(score)) mask[r] = 1;
  }
  return mask;
}

/** The sums behind an EpochMeter, as saved in a mid-epoch checkpoint. */
export interface MeterState {
  lossSum: number;
  count: number;
  top1: number;
  top5: number;
}

/** Running sums over an epoch, turned into means and percentages. */
export class EpochMeter {
  private lossSum = 0;
  private count = 0;
  private top1 = 0;
  private top5 = 0;

  constructor(state?: MeterState) {
    if (state) ({ lossSum: this.lossSum, count: this.count, top1: this.top1, top5: this.top5 } = state);
  }

  state(): MeterState {
    return { lossSum: this.lossSum, count: this.count, top1: this.top1, top5: this.top5 };
  }

  add(loss: number, batch: number, top1Hits: number, top5Hits: number): void {
    this.lossSum += loss * batch;
    this.count += batch;
    this.top1 += top1Hits;
    this.top5 += top5Hits;
  }

  get images(): number {
    return this.count;
  }

  summary(): { loss: number; top1: number; top5: number; count: number } {
    const n = Math.max(1, this.count);
    return { loss: this.lossSum / n, top1: (100 * this.top1) / n, top5: (100 * this.top5) / n, count: this.count };
  }
}
