// POST /api/v2/projects/{projectKey}/flags/{featureFlagKey}/environments/{environmentKey}/workflows — a workflow for
// the flag in the environment, from the body's stages or from a template (`templateKey`, its parameters overridden
// by the body's `parameters`): 201 with it, its first stage started (and applied at once when nothing holds it). Its
// stages must apply to the flag as it is now, in order. With `dryRun=true` it is checked and shown, not made; from a
// template, `meta` says which parameters are valid for this flag and environment (a workflow is made only when all are).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { ApiError, validationFailed } from '../../http/errors.js';
import { parseBooleanParam, queryText } from '../../http/filter.js';
import { objectId } from '../../store/ids.js';
import { flagInEnvironment, type FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { findWorkflow, readStages, readWorkflowFields, WORKFLOWS_URL, workflowDoc } from './model.js';
import { newWorkflow } from './progress.js';
import { representWorkflow } from './represent.js';
import { advanceWorkflow } from './run.js';
import { checkStages, insertWorkflow, workflowContext } from './scope.js';
import { findTemplate, instantiate, readOverrides, targetFacts, templateDoc, type TemplateParameter } from './templates.js';

/** The template to start from: the query's `templateKey` or the body's (the same, when both are given). */
function readTemplateKey(query: unknown, body: unknown): string | undefined {
  if (body !== undefined && (typeof body !== 'string' || body === '')) throw validationFailed([{ attribute: 'templateKey', reason: 'must be the key of a workflow template' }]);
  const fromQuery = queryText(query);
  if (fromQuery !== undefined && body !== undefined && fromQuery !== body) throw validationFailed([{ attribute: 'templateKey', reason: `the query says "${fromQuery}" and the body "${body as string}": name one template` }]);
  return fromQuery ?? (body as string | undefined);
}

export function postWorkflow(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: FlagInEnvironmentParams; Querystring: Record<string, unknown> }>(WORKFLOWS_URL, async (request, reply) => {
    const db = deps.store.db;
    const dryRun = parseBooleanParam(request.query.dryRun, 'dryRun') ?? false;
    const fields = await readWorkflowFields(db, request.body);
    const templateKey = readTemplateKey(request.query.templateKey, fields.input.templateKey);
    const now = deps.now();
    const scope = await flagInEnvironment(deps, db, request.params);
    let { name, description } = fields;
    let stages: unknown = fields.input.stages;
    let meta: { parameters: TemplateParameter[] } | undefined;
    if (templateKey !== undefined) {
      if (stages !== undefined) throw validationFailed([{ attribute: 'stages', reason: `must be left out: the template "${templateKey}" gives the stages (override its parameters with parameters)` }]);
      const template = templateDoc(await findTemplate(db, templateKey));
      const made = await instantiate(template, scope.flag.doc, readOverrides(fields.input.parameters, template), (keys) => targetFacts(db, scope, keys, now));
      ({ stages } = made);
      meta = { parameters: made.parameters };
      name ??= template.name;
      description ??= template.description;
      const invalid = made.parameters.filter((p) => !p.valid);
      if (invalid.length > 0 && !dryRun) {
        const where = `the flag "${scope.place.flagKey}" in the environment "${scope.place.environmentKey}"`;
        const reasons = invalid.map((p) => ({ attribute: 'parameters', reason: `the template's parameter ${p._id} ${p.path} (${JSON.stringify(p.default.value)}) is not valid for ${where}; override it in parameters` }));
        throw new ApiError(400, 'invalid_request', reasons.map((r) => `${r.attribute}: ${r.reason}`).join('; '), reasons, { meta });
      }
    } else if (fields.input.parameters !== undefined) {
      throw validationFailed([{ attribute: 'parameters', reason: 'override the parameters of a template: send them with a templateKey' }]);
    }
    if (name === undefined) throw validationFailed([{ attribute: 'name', reason: 'must be a non-empty string' }]);
    // A dry run from a template reports its invalid parameters (a date gone by among them) in meta instead of refusing.
    const reporting = dryRun && meta !== undefined;
    const read = await readStages(db, stages, 'stages', { now, futureDates: !reporting });
    if (!reporting || meta!.parameters.every((p) => p.valid)) await checkStages(deps, scope, read, request.actor);
    const maker = request.actor?.memberId ?? deps.accountId;
    const doc = newWorkflow(
      { name, ...(description !== undefined ? { description } : {}), maintainerId: fields.maintainerId ?? maker, requestorId: maker, ...(templateKey !== undefined ? { templateKey } : {}) },
      read,
      now,
    );
    if (dryRun) return reply.code(201).send(representWorkflow(objectId(now), now, doc, await workflowContext(db, scope), meta));

    const id = await insertWorkflow(deps, request.params, doc, request.actor, now);
    try {
      // A stage that nothing holds (no conditions, executeNow) is applied now; the job moves it on otherwise.
      await advanceWorkflow(deps, id);
    } catch (err) {
      request.log.warn({ err, workflowId: id }, 'could not move the new workflow on; the job will');
    }
    const after = await flagInEnvironment(deps, db, request.params);
    const row = await findWorkflow(db, { flagId: after.flag.row.id, environmentId: after.environment.id, id });
    return reply.code(201).send(representWorkflow(row.id, Number(row.created_at), workflowDoc(row), await workflowContext(db, after), meta));
  });
}
