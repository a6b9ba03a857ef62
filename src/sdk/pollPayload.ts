// GET /sdk/poll — the server-side SDKs' FDv2 polling: the environment's flags and segments as one payload's events,
// or only a `none` intent when the SDK's `basis` names the state it holds (known without a read while no change has
// come since a poll computed it).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../http/context.js';
import type { ChangeCache } from '../store/changes.js';
import { sdkEnvironmentOf } from './auth.js';
import { loadServed, type Served } from './environmentData.js';
import { basisOf, pollBody, stateOf, transferFrom, upToDate, type Fdv2Event } from './payloads.js';
import { answerPolled } from './polled.js';
import type { SdkRouteOptions } from './routes.js';

/**
 * `states`: each environment's state as a poll last computed it, emptied by any change SDKs are served (on every
 * instance), unused while the change bus is deaf, and read again after a minute (ChangeCache).
 */
export function pollPayload(app: FastifyInstance, deps: Deps, route: SdkRouteOptions, states: ChangeCache<string>): void {
  app.get<{ Querystring: Record<string, unknown> }>('/sdk/poll', route, async (request, reply) => {
    const environment = sdkEnvironmentOf(request);
    const basis = basisOf(request.query);
    // The ETag is of the environment, the answer's kind and its state, not of its text: the payload's version is
    // the time, so the text changes with every poll even when the data does not.
    const answer = (events: Fdv2Event[], kind: 'none' | 'full', state: string) =>
      answerPolled(request, reply, environment.id, pollBody(events), `${environment.id}:${kind}:${state}`);
    let served = undefined as Served | undefined;
    const read = async () => (served = await loadServed(deps.store.db, environment.id));
    // Only a basis can be answered without the data: when it names the state known now.
    if (basis !== undefined && basis === (await states.get(environment.id, async () => stateOf(await read())))) {
      return answer(upToDate({ id: environment.id, state: basis, version: deps.now() }), 'none', basis);
    }
    const data = served ?? (await read());
    const name = { id: environment.id, state: stateOf(data), version: deps.now() };
    return answer(transferFrom(basis, data, name), basis === name.state ? 'none' : 'full', name.state);
  });
}
