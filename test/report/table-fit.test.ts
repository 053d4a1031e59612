import { describe, expect, it } from 'vitest';
import { fitColumns, type ColumnNeeds } from '../../src/report/column-fit.js';
import { endpointOneLineMin, endpointTwoLineMin, fitEndpoint } from '../../src/report/endpoint-text.js';
import { wrapAt } from '../../src/report/light-table.js';
import { clipLine, clipStart, displayWidth, KEEP_TOGETHER, wrapWords } from '../../src/report/line-width.js';

const fixed = (w: number, dropOrder?: number): ColumnNeeds => ({
  natural: w,
  softMin: w,
  hardMin: w,
  ...(dropOrder === undefined ? {} : { dropOrder }),
});

describe('fitColumns', () => {
  it('keeps natural widths when they fit', () => {
    expect(fitColumns([fixed(10), fixed(10)], 22, 2)).toEqual({ widths: [10, 10], gap: 2 });
  });

  it('narrows the cheap columns before dropping any, evenly', () => {
    const layout = fitColumns(
      [{ natural: 30, softMin: 20, hardMin: 10 }, { natural: 30, softMin: 20, hardMin: 10 }, fixed(10, 1)],
      66,
      2,
    );
    expect(layout.widths).toEqual([26, 26, 10]);
  });

  it('then drops columns in their drop order, only as many as needed', () => {
    const layout = fitColumns([fixed(20), fixed(10, 2), fixed(10, 1), fixed(10, 3)], 46, 2);
    expect(layout.widths).toEqual([20, 10, undefined, 10]);
  });

  it('drops a column only when short headers and cheap shortening cannot make room', () => {
    const header = (natural: number, abbreviated: number, dropOrder?: number): ColumnNeeds => ({
      ...fixed(abbreviated, dropOrder),
      natural,
      abbreviated,
    });
    // "packets" (7) → "pkts" (4), "duration" (8) → "time" (5): 7 + 8 + 10 + 4 = 29 > 26, short enough at 23.
    expect(fitColumns([header(7, 4, 2), header(8, 5, 3), fixed(10, 1)], 26, 2).widths).toEqual([7, 5, 10]);
    expect(fitColumns([header(7, 4, 2), header(8, 5, 3), fixed(10, 1)], 23, 2).widths).toEqual([4, 5, 10]);
    expect(fitColumns([header(7, 4, 2), header(8, 5, 3), fixed(10, 1)], 22, 2).widths).toEqual([7, 8, undefined]);
  });

  it('shortens the header that alone is enough and saves least; else the one that saves most', () => {
    const header = (natural: number, abbreviated: number): ColumnNeeds => ({
      ...fixed(abbreviated),
      natural,
      abbreviated,
    });
    const columns = [header(7, 4), header(8, 5), header(19, 18), header(15, 5)];
    // Over by 1: only "final client/server" → "final c/s". Over by 11: "e/w/i" (10), then 1 more.
    // Over by 12: "e/w/i", then 2 more, which "final c/s" alone cannot give: "time", the later of two 3s.
    expect(fitColumns(columns, 7 + 8 + 19 + 15 + 6 - 1, 2).widths).toEqual([7, 8, 18, 15]);
    expect(fitColumns(columns, 7 + 8 + 19 + 15 + 6 - 11, 2).widths).toEqual([7, 8, 18, 5]);
    expect(fitColumns(columns, 7 + 8 + 19 + 15 + 6 - 12, 2).widths).toEqual([7, 5, 19, 5]);
  });

  it('then wraps, the column with the most room first and only as far as needed', () => {
    const layout = fitColumns(
      [{ natural: 18, softMin: 18, hardMin: 9 }, { natural: 15, softMin: 15, hardMin: 9 }, fixed(10, 1)],
      30,
      2,
    );
    expect(layout.widths).toEqual([13, 15, undefined]);
  });

  it('last, one space between columns; never below the hard minimums', () => {
    const layout = fitColumns([{ natural: 18, softMin: 18, hardMin: 9 }, fixed(9), fixed(9)], 28, 2);
    expect(layout).toEqual({ widths: [9, 9, 9], gap: 1 });
  });
});

describe('endpoints in narrow columns', () => {
  const v6 = '[2001:db8:85a3:1234:5678:8a2e:370:7334]:40001';

  it('IPv4 endpoints are never cut: they wrap before the port', () => {
    expect(fitEndpoint('10.99.0.1:40101', 15)).toBe('10.99.0.1:40101');
    expect(endpointOneLineMin('10.99.0.1:40101')).toBe(15);
    expect(fitEndpoint('10.99.0.1:40101', 12)).toBe('10.99.0.1\n:40101');
    expect(endpointTwoLineMin('10.99.0.1:40101')).toBe(9);
  });

  it('long IPv6 addresses are cut in the middle at group boundaries, keeping the port', () => {
    expect(endpointOneLineMin(v6)).toBe(17 + ':40001'.length);
    expect(fitEndpoint(v6, 23)).toBe('[2001:db8:…:7334]:40001');
    expect(fitEndpoint(v6, 30)).toBe('[2001:db8:…:370:7334]:40001');
    for (const w of [19, 20, 21, 22, 23, 30, 40]) expect(displayWidth(fitEndpoint(v6, w))).toBeLessThanOrEqual(w);
  });

  it('short IPv6 addresses are not cut: they wrap before the port', () => {
    expect(fitEndpoint('[fd00:99::1]:40007', 17)).toBe('[fd00:99::1]\n:40007');
    expect(endpointTwoLineMin('[fd00:99::1]:40007')).toBe(12);
  });
});

describe('wrapAt', () => {
  const final = wrapAt(' / ');
  const kind = wrapAt('-');

  it('wraps after the separator, only when too wide', () => {
    expect(final.fit('TIME_WAIT / CLOSED', 18)).toBe('TIME_WAIT / CLOSED');
    expect(final.fit('TIME_WAIT / CLOSED', 17)).toBe('TIME_WAIT /\nCLOSED');
    expect(final.wrappedMin('TIME_WAIT* / CLOSED*')).toBe(12);
    expect(kind.fit('previous-segment-not-captured', 17)).toBe('previous-segment-\nnot-captured');
  });

  it('wraps compact final states after the slash', () => {
    const compact = wrapAt('/');
    expect(compact.fit('TIME_WAIT*/CLOSED*', 18)).toBe('TIME_WAIT*/CLOSED*');
    expect(compact.fit('TIME_WAIT*/CLOSED*', 17)).toBe('TIME_WAIT*/\nCLOSED*');
    expect(compact.wrappedMin('CLOSE_WAIT/FIN_WAIT_2')).toBe(11);
  });

  it('wraps each line of a multi-line text on its own', () => {
    expect(final.fit('final states\nclient / server', 12)).toBe('final states\nclient /\nserver');
  });
});

describe('line widths', () => {
  it('counts code points, not colour codes', () => {
    expect(displayWidth('\u001b[1m──\u001b[22m …')).toBe(4);
  });

  it('clips to the width with an ellipsis, resetting colour if it cut inside', () => {
    expect(clipLine('abcdef', 6)).toBe('abcdef');
    expect(clipLine('abcdef', 4)).toBe('abc…');
    const clipped = clipLine('\u001b[33mabcdef\u001b[39m', 4);
    expect(displayWidth(clipped)).toBe(4);
    expect(clipped.endsWith('…\u001b[0m')).toBe(true);
  });

  it('clips paths from the left, where the least is said', () => {
    expect(clipStart('fixtures/anomalies/zero-window.pcap', 20)).toBe('…es/zero-window.pcap');
  });

  it('wraps prose at spaces, keeping joined words together', () => {
    const text = `Total: 3 connections, 1 anomaly (0${KEEP_TOGETHER}errors,${KEEP_TOGETHER}0${KEEP_TOGETHER}warnings)`;
    expect(wrapWords(text, 35, '  ')).toEqual(['Total: 3 connections, 1 anomaly', '  (0 errors, 0 warnings)']);
  });
});
