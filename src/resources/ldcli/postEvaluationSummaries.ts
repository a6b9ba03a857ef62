// POST /internal/projects/{projectKey}/evaluationSummaries — ldcli's `flags usage`: for each flag and environment
// asked, the evaluations the SDKs' summary events counted in [from, to), in total and by variation `_id`. Not in
// LaunchDarkly's specs; ldcli reads `data[].flagKey` and `data[].environments[envKey].{totalEvaluations,
// variationCounts}`, and takes a failure as "no evaluations", which it may read as a flag ready to be removed.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed, type FieldError } from '../../http/errors.js';
import { check } from '../../http/validation.js';
import { loadFlag } from '../flags/model.js';
import { countFacts } from '../usage/series.js';
import { hourOf, METRIC } from '../usage/tally.js';
import { summarizeEvaluations } from './evaluationSummaries.js';

/** LaunchDarkly's cap on environments a request (ldcli chunks its own by it). */
export const MAX_SUMMARY_ENVIRONMENTS = 10;
const MAX_SUMMARY_FLAGS = 100;

const Body = Type.Object({
  flagKeys: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: MAX_SUMMARY_FLAGS }),
  environmentKeys: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: MAX_SUMMARY_ENVIRONMENTS }),
  from: Type.Integer({ minimum: 0 }),
  to: Type.Integer({ minimum: 0 }),
});

export function postEvaluationSummaries(app: FastifyInstance, deps: Deps): void {
  // Reading figures is a reader's, whatever the verb.
  app.post<{ Params: { projectKey: string } }>('/internal/projects/:projectKey/evaluationSummaries', { config: { role: 'reader' } }, async (request) => {
    const errors = check(Body, request.body);
    if (errors.length > 0) throw validationFailed(errors);
    const body = request.body as Static<typeof Body>;
    if (body.from > body.to) throw validationFailed([{ attribute: 'from', reason: `must not be after to (${body.to})` }]);
    const project = await deps.catalog.project(request.params.projectKey);
    const problems: FieldError[] = [];
    const flags = await Promise.all(body.flagKeys.map((key) => loadFlag(deps.store.db, project.id, key)));
    flags.forEach((flag, i) => {
      if (!flag) problems.push({ attribute: `flagKeys[${i}]`, reason: `no flag "${body.flagKeys[i]}" in project "${project.key}"` });
    });
    const rows = await deps.store.db.selectFrom('environments').select(['id', 'key']).where('project_id', '=', project.id).where('key', 'in', body.environmentKeys).execute();
    const byKey = new Map(rows.map((row) => [row.key, row]));
    const environments = body.environmentKeys.map((key) => byKey.get(key));
    environments.forEach((environment, i) => {
      if (!environment) problems.push({ attribute: `environmentKeys[${i}]`, reason: `no environment "${body.environmentKeys[i]}" in project "${project.key}"` });
    });
    if (problems.length > 0) throw validationFailed(problems);
    // Counters are hourly: an hour counts when it overlaps [from, to).
    const facts = await countFacts(deps.store.db, METRIC.evaluations, hourOf(body.from), body.to, new Set(environments.map((e) => e!.id)));
    return summarizeEvaluations(
      flags.map((flag) => ({ key: flag!.row.key, variationIds: flag!.doc.variations.map((v) => v._id) })),
      environments.map((e) => ({ id: e!.id, key: e!.key })),
      facts,
    );
  });
}
