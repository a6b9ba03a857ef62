// The SDKs' streaming connections as the stream usage operations read them: the `source` path parameter (client or
// server), and the connections of that source as facts.
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { compareText } from '../../store/reads.js';
import { countFacts, type CountFact } from './series.js';
import { METRIC } from './tally.js';

export type Source = 'client' | 'server';

export function readSource(source: string): Source {
  if (source !== 'client' && source !== 'server') throw validationFailed([{ attribute: 'source', reason: `must be client or server, not "${source.slice(0, 40)}"` }]);
  return source;
}

/** The source's connection counters from `from` to before `to`. */
export async function streamFacts(deps: Deps, source: Source, from: number, to: number): Promise<CountFact[]> {
  return (await countFacts(deps.store.db, METRIC.streams, from, to)).filter((f) => f.dims[0] === source);
}

/**
 * A period's connections: each hour's are those open in it; a day's, its busiest hour's (a connection open all day is
 * one connection, not 24).
 */
export const connections = { busiestHour: (f: CountFact) => f.count };

/** Versions in numeric order where they are numbers (3.1.5 after 3.1.2, 10.0.0 after 9.9.9), else as text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/);
  const pb = b.split(/[.+-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    const c = !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : compareText(x, y);
    if (c !== 0) return c;
  }
  return 0;
}
