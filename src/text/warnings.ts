import type { SourceSink } from '../source.js';

/** Line warnings printed before the rest are only counted. */
export const PRINTED_LINE_WARNINGS = 5;

/**
 * Warnings about single lines, each with its line number: the first few go to the sink,
 * the rest are counted and summed up once at the end.
 */
export class LineWarnings {
  private readonly sink: SourceSink;
  private count = 0;

  constructor(sink: SourceSink) {
    this.sink = sink;
  }

  line(lineNumber: number, message: string): void {
    this.count++;
    if (this.count <= PRINTED_LINE_WARNINGS) this.sink.warning(`line ${lineNumber}: ${message}`);
  }

  finish(): void {
    const unprinted = this.count - PRINTED_LINE_WARNINGS;
    if (unprinted > 0) {
      this.sink.warning(
        `${unprinted} more TCP line${unprinted === 1 ? '' : 's'} could not be read ` +
          `and ${unprinted === 1 ? 'was' : 'were'} skipped (${this.count} in all; ` +
          `only the first ${PRINTED_LINE_WARNINGS} are shown)`,
      );
    }
  }
}
