// GET /api/v2/applications (beta) — the account's applications: filter on key, name, kind and autoAdded, sort on name
// or creationDate, pages of 10 by default; `expand=flags` adds the flags each one's SDKs reported evaluating.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readExpand } from '../../http/links.js';
import { listPage } from './listing.js';
import { APPLICATION_KINDS, evaluatedFlags, listApplications } from './model.js';
import { APPLICATIONS_PATH, representApplication } from './represent.js';

const FIELDS = { operators: { kind: ['equals', 'notEquals', 'anyOf'] }, choices: { kind: APPLICATION_KINDS } } as const;

export function getApplications(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Record<string, unknown> }>(APPLICATIONS_PATH, { config: { beta: true } }, async (request) => {
    const db = deps.store.db;
    const withFlags = readExpand(request.query).has('flags');
    const load = async () =>
      (await listApplications(db)).map((row) => ({ row, key: row.key, name: row.name, autoAdded: row.auto_added === 1, creationDate: Number(row.created_at), fields: { kind: row.kind } }));
    return listPage(request.query, APPLICATIONS_PATH, FIELDS, 10, load, async (page) => {
      const flags = withFlags ? await evaluatedFlags(db, page.map((item) => item.key)) : undefined;
      return page.map((item) => representApplication(item.row, flags?.get(item.key)));
    }, { expand: request.query.expand as string | undefined });
  });
}
