// POST /api/v2/templates — a workflow template (201): the stages of an existing workflow (`workflowId`), or the
// body's stages for a flag in an environment (`projectKey`, `environmentKey`, `flagKey`). Its parameters (what names
// something of that flag and environment) are taken from them. A key in use is a 409.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate, notFound, objectBody, validationFailed, type FieldError } from '../../http/errors.js';
import { Key, Name } from '../../http/schemas.js';
import { check } from '../../http/validation.js';
import { objectId } from '../../store/ids.js';
import { authorizeOnResource } from '../approvals/model.js';
import { recordAudit } from '../audit-log/record.js';
import { flag } from '../custom-roles/routeActions.js';
import { flagInEnvironment, type FlagPlace } from '../flags/inEnvironment.js';
import type { Variation } from '../flags/model.js';
import { readStages, workflowDoc, type StageSpec, type WorkflowStage } from './model.js';
import { representTemplate } from './represent.js';
import { templateAudit, templateParameters, TEMPLATES_URL, templateStages, type TemplateDoc, type TemplateRow } from './templates.js';

const TemplatePost = Type.Object(
  {
    key: Key,
    name: Type.Optional(Name),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    workflowId: Type.Optional(Type.String({ minLength: 1 })),
    stages: Type.Optional(Type.Unknown()),
    projectKey: Type.Optional(Type.String({ minLength: 1 })),
    environmentKey: Type.Optional(Type.String({ minLength: 1 })),
    flagKey: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
type TemplatePost = Static<typeof TemplatePost>;

/** What a template is made of: the flag and environment, that flag's variations, and the stages. */
interface Source {
  place: FlagPlace;
  variations: Variation[];
  stages: readonly (StageSpec | WorkflowStage)[];
}

/** The workflow `id`'s stages, flag and environment (a 404 naming it when there is none); the caller must be allowed to manage its workflows. */
async function fromWorkflow(deps: Deps, body: TemplatePost, actor: Parameters<typeof authorizeOnResource>[1]): Promise<Source> {
  const stray = (['stages', 'projectKey', 'environmentKey', 'flagKey'] as const).filter((field) => body[field] !== undefined);
  if (stray.length > 0) throw validationFailed(stray.map((field) => ({ attribute: field, reason: 'must be left out: workflowId names the workflow whose stages, flag and environment the template takes' })));
  const found = await deps.store.db
    .selectFrom('flag_workflows as w')
    .innerJoin('flags as f', 'f.id', 'w.flag_id')
    .innerJoin('projects as p', 'p.id', 'f.project_id')
    .innerJoin('environments as e', 'e.id', 'w.environment_id')
    .select(['w.doc', 'f.key as flagKey', 'f.doc as flagDoc', 'p.key as projectKey', 'e.key as environmentKey'])
    .where('w.id', '=', body.workflowId!)
    .executeTakeFirst();
  if (!found) throw notFound(`Workflow "${body.workflowId}"`);
  const place = { projectKey: found.projectKey, flagKey: found.flagKey, environmentKey: found.environmentKey };
  await authorizeOnResource(deps, actor, place.projectKey, flag(place.projectKey, place.environmentKey, place.flagKey), 'updateFeatureWorkflows');
  return { place, variations: (JSON.parse(found.flagDoc) as { variations: Variation[] }).variations, stages: workflowDoc(found).stages };
}

/** The body's stages for the flag and environment it names (each key required; 404s naming what is not there). */
async function fromStages(deps: Deps, body: TemplatePost, now: number): Promise<Source> {
  const missing: FieldError[] = (['stages', 'projectKey', 'environmentKey', 'flagKey'] as const)
    .filter((field) => body[field] === undefined)
    .map((field) => ({ attribute: field, reason: 'must be present (or name a workflow to save with workflowId)' }));
  if (missing.length > 0) throw validationFailed(missing);
  const scope = await flagInEnvironment(deps, deps.store.db, { projectKey: body.projectKey!, featureFlagKey: body.flagKey!, environmentKey: body.environmentKey! });
  const stages = await readStages(deps.store.db, body.stages, 'stages', { now, futureDates: false });
  return { place: scope.place, variations: scope.flag.doc.variations, stages };
}

export function createWorkflowTemplate(app: FastifyInstance, deps: Deps): void {
  app.post(TEMPLATES_URL, async (request, reply) => {
    const errors = check(TemplatePost, objectBody(request.body, '{"key": ..., "workflowId": ...} or {"key": ..., "stages": [...], "projectKey": ..., "environmentKey": ..., "flagKey": ...}'));
    if (errors.length > 0) throw validationFailed(errors);
    const body = request.body as TemplatePost;
    const now = deps.now();
    const source = body.workflowId !== undefined ? await fromWorkflow(deps, body, request.actor) : await fromStages(deps, body, now);
    const stages = templateStages(source.stages, now);
    const doc: TemplateDoc = {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ownerId: deps.accountId,
      maintainerId: request.actor?.memberId ?? deps.accountId,
      source: source.place,
      sourceVariations: source.variations,
      stages,
      parameters: templateParameters(stages, source.variations),
    };
    const row: TemplateRow = { id: objectId(now), key: body.key, doc: JSON.stringify(doc), created_at: now };
    await conflictOnDuplicate(
      () =>
        deps.store.tx(async (trx) => {
          await trx.insertInto('workflow_templates').values(row).execute();
          await recordAudit(trx, request.actor, now, templateAudit(row, 'createWorkflowTemplate', 'created', { after: { _id: row.id, _key: row.key, ...doc } }));
        }),
      `A workflow template with the key "${body.key}" already exists`,
    );
    return reply.code(201).send(representTemplate(row));
  });
}
