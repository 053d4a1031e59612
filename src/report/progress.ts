/** Files smaller than this are read before a progress line would be worth drawing. */
const MIN_BYTES = 16 * 1024 * 1024;
/** About 10 redraws a second. */
const REDRAW_MS = 100;

/**
 * Whether to draw a progress line: only on a terminal, never in CI (logs keep every
 * redraw), and only for a file big enough to take a while.
 */
export function progressWanted(stderrIsTTY: boolean, env: NodeJS.ProcessEnv, fileBytes: number | undefined): boolean {
  return (
    stderrIsTTY &&
    (env.CI === undefined || env.CI === '' || env.CI === 'false') &&
    env.TERM !== 'dumb' &&
    fileBytes !== undefined &&
    fileBytes >= MIN_BYTES
  );
}

/**
 * "capture.pcap: 45% (120 of 265 MB)" on stderr, redrawn in place with a carriage return.
 * Whoever writes to the same terminal calls `clear()` first, so lines never mix.
 */
export class ProgressLine {
  private readonly write: (text: string) => void;
  private readonly label: string;
  private readonly total: number;
  private readonly bytesRead: () => number;
  private timer: NodeJS.Timeout | undefined;
  private shown = 0;

  constructor(write: (text: string) => void, label: string, totalBytes: number, bytesRead: () => number) {
    this.write = write;
    this.label = label;
    this.total = totalBytes;
    this.bytesRead = bytesRead;
  }

  start(): void {
    this.timer = setInterval(() => {
      this.draw();
    }, REDRAW_MS);
    this.timer.unref();
  }

  /** Removes the line (it comes back at the next redraw). */
  clear(): void {
    if (this.shown === 0) return;
    this.write(`\r${' '.repeat(this.shown)}\r`);
    this.shown = 0;
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }

  private draw(): void {
    const done = Math.min(this.bytesRead(), this.total);
    const percent = Math.floor((done / this.total) * 100);
    const text = `${this.label}: ${percent}% (${megabytes(done)} of ${megabytes(this.total)} MB)`;
    this.write(`\r${text.padEnd(this.shown)}`);
    this.shown = text.length;
  }
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(0);
}
