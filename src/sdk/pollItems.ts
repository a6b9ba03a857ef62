// The older polling paths some server-side SDKs still use: every flag or segment, or one, without the `put`'s
// wrapper (`/sdk/latest-flags[/{key}]`, `/sdk/latest-segments[/{key}]`: older Java, .NET, Ruby and Node SDKs;
// `/sdk/flags[/{key}]`, `/sdk/segments[/{key}]`: the PHP SDK).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../http/context.js';
import { notFound } from '../http/errors.js';
import { sdkEnvironmentOf } from './auth.js';
import { itemsData, loadServedFlags, loadServedSegments, type ServedItem } from './environmentData.js';
import type { Db } from '../store/db.js';
import { answerPolled } from './polled.js';
import type { SdkRouteOptions } from './routes.js';

const KINDS: { bases: string[]; noun: string; load: (db: Db, environmentId: string) => Promise<Map<string, ServedItem>> }[] = [
  { bases: ['/sdk/latest-flags', '/sdk/flags'], noun: 'Flag', load: loadServedFlags },
  { bases: ['/sdk/latest-segments', '/sdk/segments'], noun: 'Segment', load: loadServedSegments },
];

export function pollItems(app: FastifyInstance, deps: Deps, route: SdkRouteOptions): void {
  for (const { bases, noun, load } of KINDS) {
    for (const base of bases) {
      app.get(base, route, async (request, reply) => {
        const environment = sdkEnvironmentOf(request);
        return answerPolled(request, reply, environment.id, itemsData(await load(deps.store.db, environment.id)));
      });
      app.get<{ Params: { key: string } }>(`${base}/:key`, route, async (request, reply) => {
        const environment = sdkEnvironmentOf(request);
        const served = (await load(deps.store.db, environment.id)).get(request.params.key);
        if (served?.text === undefined) throw notFound(`${noun} "${request.params.key}" in this SDK key's environment`);
        return answerPolled(request, reply, environment.id, served.text);
      });
    }
  }
}
