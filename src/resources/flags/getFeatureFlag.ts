// GET /api/v2/flags/{projectKey}/{featureFlagKey} — one flag with its targeting in every environment, or those `env` names;
// `expand=evaluation,codeReferences` adds what expansions.ts reads; `expand=migrationSettings` a migration flag's settings.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findProject } from '../projects/projects.js';
import { codeReferencesOf, evaluatedKindsOf, loadFlagExpansions, readFlagExpand } from './expansions.js';
import { findFlag } from './model.js';
import { representFlag } from './represent.js';
import { environmentsFor, maintainerOf, maintainerTeamOf, readEnvironmentKeys, withConfigs } from './scope.js';

export function getFeatureFlag(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; featureFlagKey: string } }>('/api/v2/flags/:projectKey/:featureFlagKey', async (request) => {
    const db = deps.store.db;
    const query = request.query as Record<string, unknown>;
    const expand = readFlagExpand(query);
    const project = await findProject(db, request.params.projectKey);
    const flag = await findFlag(db, project, request.params.featureFlagKey);
    const environments = await environmentsFor(db, project, readEnvironmentKeys(query.env));
    const expansions = await loadFlagExpansions(db, expand, project, environments, [flag.row.key], deps.now());
    return representFlag(project.key, {
      key: flag.row.key,
      doc: flag.doc,
      environments: withConfigs(environments, flag.configs, evaluatedKindsOf(expansions, flag.row.key)),
      maintainer: await maintainerOf(db, flag.doc),
      maintainerTeam: await maintainerTeamOf(db, flag.doc),
      codeReferences: codeReferencesOf(expansions, flag.row.key),
      migrationSettings: expand.has('migrationSettings'),
    });
  });
}
