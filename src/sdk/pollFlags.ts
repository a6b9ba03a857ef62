// The older polling paths some server-side SDKs still use: every flag, or one flag, without the segments wrapper
// (`/sdk/latest-flags[/{key}]`: older Java, .NET, Ruby and Node SDKs; `/sdk/flags[/{key}]`: the PHP SDK), and the
// segments' (iterlab has none yet: `{}`, and 404 for any one).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../http/context.js';
import { notFound } from '../http/errors.js';
import { sdkEnvironmentOf } from './auth.js';
import { flagsData, loadServedFlags } from './environmentData.js';
import { answerPolled } from './polled.js';
import type { SdkRouteOptions } from './routes.js';

export function pollFlags(app: FastifyInstance, deps: Deps, route: SdkRouteOptions): void {
  for (const base of ['/sdk/latest-flags', '/sdk/flags']) {
    app.get(base, route, async (request, reply) => {
      const environment = sdkEnvironmentOf(request);
      return answerPolled(request, reply, environment.id, flagsData(await loadServedFlags(deps.store.db, environment.id)));
    });
    app.get<{ Params: { key: string } }>(`${base}/:key`, route, async (request, reply) => {
      const environment = sdkEnvironmentOf(request);
      const served = (await loadServedFlags(deps.store.db, environment.id)).get(request.params.key);
      if (served?.text === undefined) throw notFound(`Flag "${request.params.key}" in this SDK key's environment`);
      return answerPolled(request, reply, environment.id, served.text);
    });
  }
  for (const base of ['/sdk/latest-segments', '/sdk/segments']) {
    app.get(base, route, async (request, reply) => answerPolled(request, reply, sdkEnvironmentOf(request).id, '{}'));
    app.get<{ Params: { key: string } }>(`${base}/:key`, route, async (request) => {
      throw notFound(`Segment "${request.params.key}": iterlab has no segments yet`);
    });
  }
}
