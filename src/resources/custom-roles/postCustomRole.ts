// POST /api/v2/roles — create a custom role (admin): every statement of its policy is checked, then stored normalized.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate, validationFailed } from '../../http/errors.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { CustomRolePost, normalStatement, statementProblems, type CustomRoleDoc, type CustomRoleRow } from './model.js';
import { representRole } from './represent.js';

export function postCustomRole(app: FastifyInstance, deps: Deps): void {
  app.post<{ Body: CustomRolePost }>('/api/v2/roles', { config: { role: 'admin' }, schema: { body: CustomRolePost } }, async (request, reply) => {
    const body = request.body;
    const problems = statementProblems(body.policy, 'policy');
    if (problems.length > 0) throw validationFailed(problems);
    const now = deps.now();
    const doc: CustomRoleDoc = {
      name: body.name,
      ...(body.description !== undefined ? { description: body.description } : {}),
      policy: body.policy.map(normalStatement),
      basePermissions: body.basePermissions ?? 'no_access',
      resourceCategory: body.resourceCategory ?? 'any',
    };
    const row: CustomRoleRow = { id: objectId(now), key: body.key, doc: JSON.stringify(doc), created_at: now, last_modified: now };
    const rep = representRole(row);
    await conflictOnDuplicate(
      () =>
        deps.store.tx(async (trx) => {
          await trx.insertInto('custom_roles').values(row).execute();
          await recordAudit(trx, request.actor, now, {
            kind: 'role',
            resource: `role/${row.key}`,
            action: 'createRole',
            name: doc.name,
            description: `created the custom role ${doc.name}`,
            after: rep,
          });
        }),
      `A custom role with the key "${row.key}" already exists`,
    );
    deps.changed({ kind: 'custom-role', id: row.id });
    return reply.code(201).send(rep);
  });
}
