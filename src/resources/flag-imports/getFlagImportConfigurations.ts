// GET /api/v2/integration-capabilities/flag-import (beta) — every flag import configuration of the account, oldest
// first, secrets masked. Every token may list them, as persistent store integrations.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { IMPORTS_PATH, representImports } from './represent.js';

export function getFlagImportConfigurations(app: FastifyInstance, deps: Deps): void {
  app.get(IMPORTS_PATH, { config: { beta: true } }, async () => {
    const rows = await deps.store.db
      .selectFrom('flag_import_configurations')
      .innerJoin('projects', 'projects.id', 'flag_import_configurations.project_id')
      .selectAll('flag_import_configurations')
      .select('projects.key as project_key')
      .orderBy('flag_import_configurations.created_at')
      .orderBy('flag_import_configurations.id')
      .execute();
    return representImports(rows.map(({ project_key, ...row }) => ({ row, projectKey: project_key })));
  });
}
