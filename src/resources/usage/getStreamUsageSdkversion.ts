// GET /api/v2/usage/streams/{source}/sdkversions (beta) — the SDK names and versions that opened streams of the source
// (client or server) in the last 60 days.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { compareText } from '../../store/reads.js';
import { selfLinks } from './series.js';
import { compareVersions, readSource, streamFacts } from './streams.js';
import { DAY_MS, hourOf } from './tally.js';

export function getStreamUsageSdkversion(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { source: string } }>('/api/v2/usage/streams/:source/sdkversions', { config: { beta: true } }, async (request) => {
    const source = readSource(request.params.source);
    const now = deps.now();
    const facts = await streamFacts(deps, source, hourOf(now - 60 * DAY_MS), now + 1);
    const seen = new Map(facts.map((f) => [JSON.stringify([f.dims[1], f.dims[2]]), { sdk: f.dims[1], version: f.dims[2] }]));
    return { _links: selfLinks(request.url), sdkVersions: [...seen.values()].sort((a, b) => compareText(a.sdk, b.sdk) || compareVersions(a.version, b.version)) };
  });
}
