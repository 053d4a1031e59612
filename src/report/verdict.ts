import { ANOMALY_KINDS, SEVERITIES, severityRank, type AnomalyEvent, type Severity } from '../events.js';

/** What `--fail-on` names: anomaly kinds, and severities meaning "this severity or worse". */
export interface FailOn {
  kinds: ReadonlySet<string>;
  /** Lowest severity that counts, if a severity was named. */
  severity: Severity | undefined;
}

/** Parses "error", "warning,rst-out-of-window", ...; throws an Error naming what is unknown. */
export function parseFailOn(spec: string): FailOn {
  const kinds = new Set<string>();
  let severity: Severity | undefined;
  for (const raw of spec.split(',')) {
    const word = raw.trim();
    if (word === '') continue;
    if ((SEVERITIES as readonly string[]).includes(word)) {
      const s = word as Severity;
      if (severity === undefined || severityRank(s) < severityRank(severity)) severity = s;
    } else if (Object.hasOwn(ANOMALY_KINDS, word)) {
      kinds.add(word);
    } else {
      throw new Error(
        `unknown anomaly kind or severity "${word}" (severities: ` +
          `${SEVERITIES.join(', ')}; kinds: see --help or the README)`,
      );
    }
  }
  if (kinds.size === 0 && severity === undefined)
    throw new Error('expected anomaly kinds or severities, separated by commas');
  return { kinds, severity };
}

/**
 * Counts the anomalies that `--fail-on` names, per kind, to decide exit status 1: more
 * findings than `limit` (`--max-findings`, default 0) fail the run.
 */
export class Verdict {
  private readonly failOn: FailOn;
  private readonly limit: number;
  private readonly counts = new Map<string, number>();
  private total = 0;

  constructor(failOn: FailOn, limit: number) {
    this.failOn = failOn;
    this.limit = limit;
  }

  anomaly(e: AnomalyEvent): void {
    const bySeverity =
      this.failOn.severity !== undefined && severityRank(e.severity) >= severityRank(this.failOn.severity);
    if (!bySeverity && !this.failOn.kinds.has(e.kind)) return;
    this.total++;
    this.counts.set(e.kind, (this.counts.get(e.kind) ?? 0) + 1);
  }

  get failed(): boolean {
    return this.total > this.limit;
  }

  /** One line for stderr: what matched, most frequent kind first. */
  describe(): string {
    const kinds = [...this.counts]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([k, n]) => `${k} ×${n}`);
    const limit = this.limit === 0 ? '' : ` (more than the ${this.limit} allowed by --max-findings)`;
    return `${this.total} finding${this.total === 1 ? '' : 's'} matched --fail-on${limit}: ${kinds.join(', ')}`;
  }
}
