import { createReadStream } from 'node:fs';
import { Chalk } from 'chalk';
import { analyseInput } from '../../src/pipeline.js';
import { TextReporter, type TextOptions } from '../../src/report/text.js';

/** Runs captures through the pipeline into the text reporter, in-process, and returns what it printed. */
export async function renderText(files: string[], opts: Partial<TextOptions> = {}): Promise<string> {
  let out = '';
  const reporter = new TextReporter(
    (text) => {
      out += text;
    },
    { chalk: new Chalk({ level: 0 }), live: false, quiet: false, explain: false, width: 80, mslSeconds: 30, ...opts },
  );
  for (const file of files) {
    reporter.beginInput(file);
    const report = await analyseInput(
      file,
      createReadStream(file),
      { mslSeconds: opts.mslSeconds ?? 30, inputFormat: 'auto' },
      {
        event: (e) => {
          reporter.event(e);
        },
        warning: () => undefined,
      },
    );
    reporter.endInput(report);
  }
  reporter.finish();
  return out;
}
