// GET /api/v2/projects/{projectKey}/release-policies (beta) — the project's release policies by rank;
// `excludeDefault=true` leaves out its default policies (those that name no environment).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { parseBooleanParam } from '../../http/filter.js';
import { findProject } from '../projects/projects.js';
import { isDefaultPolicy, listPolicies, policyDoc, POLICIES_PATH } from './model.js';
import { representPolicy } from './represent.js';

export function GetReleasePolicies(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string }; Querystring: Record<string, unknown> }>(POLICIES_PATH, { config: { beta: true } }, async (request) => {
    const excludeDefault = parseBooleanParam(request.query.excludeDefault, 'excludeDefault') ?? false;
    const project = await findProject(deps.store.db, request.params.projectKey);
    const rows = (await listPolicies(deps.store.db, project.id)).filter((row) => !excludeDefault || !isDefaultPolicy(policyDoc(row)));
    return { items: rows.map(representPolicy), totalCount: rows.length };
  });
}
