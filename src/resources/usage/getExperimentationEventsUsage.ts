// GET /api/v2/usage/experimentation-events (beta) — the evaluation events the SDKs sent for contexts in an experiment
// (reason.inExperiment: the experiments' exposures), by event kind (feature, debug) and key (the flag's).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { registerCountUsage } from './counts.js';
import { METRIC } from './tally.js';

export function getExperimentationEventsUsage(app: FastifyInstance, deps: Deps): void {
  registerCountUsage(app, deps, '/api/v2/usage/experimentation-events', {
    metric: METRIC.experimentationEvents,
    // [kind, flagKey]
    labels: (f, places) => ({ projectId: places.all.get(f.environmentId)?.projectId ?? '', environmentId: f.environmentId, eventKind: f.dims[0], eventKey: f.dims[1] }),
    groupable: ['environmentId', 'eventKey', 'eventKind'],
    filters: { eventKey: 'eventKey', eventKind: 'eventKind' },
    value: (f) => f.count,
  });
}
