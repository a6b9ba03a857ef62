// GET /sdk/poll — the server-side SDKs' FDv2 polling: the environment's flags and segments as one payload's events,
// or only a `none` intent when the SDK's `basis` names the state it holds (known without a read while no change has
// come since the last poll computed it: payloadStates.ts).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../http/context.js';
import { sdkEnvironmentOf } from './auth.js';
import { loadServed } from './environmentData.js';
import { basisOf, pollBody, stateOf, transferFrom, upToDate } from './payloads.js';
import type { PayloadStates } from './payloadStates.js';
import { answerPolled } from './polled.js';
import type { SdkRouteOptions } from './routes.js';

export function pollPayload(app: FastifyInstance, deps: Deps, route: SdkRouteOptions, states: PayloadStates): void {
  app.get<{ Querystring: Record<string, unknown> }>('/sdk/poll', route, async (request, reply) => {
    const environment = sdkEnvironmentOf(request);
    const basis = basisOf(request.query);
    // The ETag is of the environment, the answer's kind and its state, not of its text: the payload's version is
    // the time, so the text changes with every poll even when the data does not.
    if (basis !== undefined && basis === states.current(environment.id)) {
      return answerPolled(request, reply, environment.id, pollBody(upToDate({ id: environment.id, state: basis, version: deps.now() })), `${environment.id}:none:${basis}`);
    }
    const mark = states.mark();
    const served = await loadServed(deps.store.db, environment.id);
    const name = { id: environment.id, state: stateOf(served), version: deps.now() };
    states.remember(environment.id, environment.projectId, name.state, mark);
    const events = transferFrom(basis, served, name);
    return answerPolled(request, reply, environment.id, pollBody(events), `${environment.id}:${basis === name.state ? 'none' : 'full'}:${name.state}`);
  });
}
