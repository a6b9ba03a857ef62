// GET /api/v2 — the API's resource categories, as links.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { link } from '../../http/links.js';

const CATEGORIES: Record<string, string> = {
  auditLog: '/api/v2/auditlog',
  callerIdentity: '/api/v2/caller-identity',
  members: '/api/v2/members',
  projects: '/api/v2/projects',
  tokens: '/api/v2/tokens',
};

export function getRoot(app: FastifyInstance, _deps: Deps): void {
  app.get('/api/v2', async () => ({ links: Object.fromEntries(Object.entries(CATEGORIES).map(([name, href]) => [name, link(href)])) }));
}
