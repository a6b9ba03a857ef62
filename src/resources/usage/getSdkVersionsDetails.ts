// GET /api/v2/usage/sdk-versions/details (beta) — each SDK seen in the last day, per environment and SDK type (with the
// application its streams named): the highest version seen (from its streams and its events), its project and environment, and how it
// connected (`streaming` when it opened a stream, else `events`). iterlab has no end-of-life data for SDKs nor
// Relay Proxy metadata: those fields are left out.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { compareText } from '../../store/reads.js';
import { countFacts, readPlaces } from './series.js';
import { compareVersions } from './streams.js';
import { DAY_MS, hourOf, METRIC } from './tally.js';

interface Seen {
  environmentId: string;
  name: string;
  type: string;
  applicationId: string;
  version: string;
  streaming: boolean;
}

export function getSdkVersionsDetails(app: FastifyInstance, deps: Deps): void {
  app.get('/api/v2/usage/sdk-versions/details', { config: { beta: true } }, async () => {
    const now = deps.now();
    const from = hourOf(now - DAY_MS);
    const places = await readPlaces(deps.store.db, {});
    const streams = await countFacts(deps.store.db, METRIC.streams, from, now + 1);
    const events = await countFacts(deps.store.db, METRIC.events, from, now + 1);
    const seen = new Map<string, Seen>();
    const see = (s: Seen) => {
      const id = JSON.stringify([s.environmentId, s.name, s.type]);
      const before = seen.get(id);
      if (!before) seen.set(id, s);
      else {
        if (compareVersions(s.version, before.version) > 0) before.version = s.version;
        before.streaming ||= s.streaming;
        before.applicationId ||= s.applicationId;
      }
    };
    // Streams: [source, name, version, applicationId]; events: [kind, name, version, type] (their application unknown).
    for (const f of streams) see({ environmentId: f.environmentId, name: f.dims[1], type: f.dims[0], applicationId: f.dims[3], version: f.dims[2], streaming: true });
    for (const f of events) see({ environmentId: f.environmentId, name: f.dims[1], type: f.dims[3], applicationId: '', version: f.dims[2], streaming: false });
    return [...seen.values()]
      .filter((s) => places.all.has(s.environmentId))
      .sort((a, b) => compareText(a.name, b.name) || compareText(a.environmentId, b.environmentId) || compareText(a.type, b.type))
      .map((s) => {
        const place = places.all.get(s.environmentId)!;
        return {
          name: s.name,
          version: s.version,
          type: s.type,
          projectId: place.projectId,
          projectKey: place.projectKey,
          projectName: place.projectName,
          environmentId: place.environmentId,
          environmentKey: place.environmentKey,
          environmentName: place.environmentName,
          ...(s.applicationId !== '' ? { applicationId: s.applicationId } : {}),
          connectionType: s.streaming ? 'streaming' : 'events',
        };
      });
  });
}
