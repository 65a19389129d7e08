/** Progress of a download, in bytes; total is undefined when the server does not say. */
export interface DownloadProgress {
  readonly received: number;
  readonly total: number | undefined;
}

export type ProgressListener = (progress: DownloadProgress) => void;

/** Where progressBar draws: process.stderr, or any stream with `write` (redrawn in place when `isTTY`). */
export interface ProgressStream {
  readonly isTTY?: boolean | undefined;
  write(text: string): unknown;
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

/**
 * A one-line progress bar on stderr: redrawn in place on a terminal, one line per 10 % elsewhere (CI logs).
 */
export function progressBar(label: string, stream: ProgressStream = process.stderr): ProgressListener {
  const started = Date.now();
  let lastDecile = -1;
  let lastDraw = 0;
  return ({ received, total }) => {
    const seconds = Math.max(1e-3, (Date.now() - started) / 1000);
    const rate = `${megabytes(received / seconds)} MB/s`;
    const done = total !== undefined && received >= total;
    if (stream.isTTY) {
      const now = Date.now();
      if (!done && now - lastDraw < 100) return;
      lastDraw = now;
      const width = 30;
      const filled = total ? Math.round((received / total) * width) : 0;
      const bar = total ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${((100 * received) / total).toFixed(0).padStart(3)}%` : '';
      stream.write(`\r${label} ${bar} ${megabytes(received)}${total ? `/${megabytes(total)}` : ''} MB ${rate}   ${done ? '\n' : ''}`);
    } else if (total) {
      const decile = Math.floor((10 * received) / total);
      if (decile !== lastDecile) {
        lastDecile = decile;
        stream.write(`${label} ${decile * 10}% (${megabytes(received)}/${megabytes(total)} MB, ${rate})\n`);
      }
    }
  };
}
