// POST /api/v2/projects/{projectKey}/ai-configs — a new AI Config (mode `completion` unless named), with its first
// variation when the body has a `defaultVariation`: 201 with it. Its flag is made with it, serving the disabled
// variation everywhere until targeting points at a variation. Its key may be no flag's or AI Config's of the project.
// `viewKeys` (2026-07) creates it into views: its flag is linked to each view, as linkResource links a flag (a view
// audit entry each, linkAIConfigToView); a key naming no view is a 400 naming `viewKeys[i]`, and nothing is made.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate, validationFailed } from '../../http/errors.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { linkCreated } from '../views/createInto.js';
import { namedViews } from '../views/model.js';
import { insertConfigFlag } from './backingFlag.js';
import {
  AI_CONFIGS_URL,
  AIConfigPost,
  resolveToolKeys,
  maintainerOf,
  maintainerProblems,
  newVariation,
  RESERVED_CONFIG_KEYS,
  variationProblems,
  type AIConfigDoc,
  type AIConfigRow,
  type Variation,
} from './model.js';
import { configAudit, representAIConfig } from './represent.js';
import { insertVersion } from './writes.js';

export function postAIConfig(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string }; Body: AIConfigPost }>(AI_CONFIGS_URL, { schema: { body: AIConfigPost } }, async (request, reply) => {
    const body = request.body;
    if (RESERVED_CONFIG_KEYS.includes(body.key)) throw validationFailed([{ attribute: 'key', reason: `"${body.key}" is a path segment of the AI Configs' routes; choose another key` }]);
    const now = deps.now();
    const duplicate = `An AI Config or flag with key "${body.key}" already exists in project "${request.params.projectKey}"`;
    const made = await conflictOnDuplicate(
      () =>
        deps.store.tx(async (trx) => {
          const project = await findProject(trx, request.params.projectKey);
          const mode = body.mode ?? 'completion';
          const tooled = body.defaultVariation ? await resolveToolKeys(trx, project.id, body.defaultVariation, 'defaultVariation.') : undefined;
          const named = await namedViews(trx, project.id, body.viewKeys ?? [], 'viewKeys');
          const problems = [...(await maintainerProblems(trx, body)), ...(tooled?.problems ?? []), ...named.problems];
          const maintainer = body.maintainerTeamKey !== undefined ? { maintainerTeamKey: body.maintainerTeamKey } : { maintainerId: body.maintainerId ?? request.actor?.memberId };
          const doc: AIConfigDoc = {
            name: body.name,
            description: body.description ?? '',
            tags: body.tags ?? [],
            mode,
            ...maintainer,
            ...(body.evaluationMetricKey !== undefined ? { evaluationMetricKey: body.evaluationMetricKey } : {}),
            ...(body.isInverted !== undefined ? { isInverted: body.isInverted } : {}),
            version: 1,
            updatedAt: now,
          };
          const variations: Variation[] = body.defaultVariation ? [newVariation({ ...body.defaultVariation, ...(tooled?.tools ? { tools: tooled.tools } : {}) }, now)] : [];
          for (const variation of variations) {
            problems.push(...(await variationProblems(trx, project.id, mode, variation.doc, undefined)).map((p) => ({ ...p, attribute: `defaultVariation.${p.attribute}` })));
          }
          if (problems.length > 0) throw validationFailed(problems);
          const flagId = await insertConfigFlag(trx, project, body.key, doc, variations, now);
          const row: AIConfigRow = { id: objectId(now), project_id: project.id, key: body.key, flag_id: flagId, doc: JSON.stringify(doc), created_at: now };
          await trx.insertInto('ai_configs').values(row).execute();
          for (const variation of variations) await insertVersion(trx, row.id, variation);
          const shown = representAIConfig(project.key, { row, doc, variations }, await maintainerOf(trx, doc));
          await recordAudit(trx, request.actor, now, configAudit(project.key, row.key, doc.name, 'createAIConfig', `created the AI Config ${doc.name}`, { after: shown }));
          await linkCreated(trx, request.actor, now, project.key, named.views, { type: 'aiConfigs', resource: { id: flagId, key: row.key }, name: doc.name, viewKeys: body.viewKeys });
          return { shown, projectId: project.id, flagId };
        }),
      duplicate,
    );
    deps.changed({ kind: 'flag', projectId: made.projectId, id: made.flagId });
    return reply.code(201).send(made.shown);
  });
}
