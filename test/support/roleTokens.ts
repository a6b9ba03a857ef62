// Access tokens governed by an inline role, as the custom-role security suites make them.
import { expect } from 'vitest';
import type { TestServer } from './server.js';

/** A token that may view `projectKey` and, when `actions` are given, take them on `resource`. */
export async function projectRoleToken(s: TestServer, projectKey: string, resource: string, actions: string[]): Promise<string> {
  const statements = [{ effect: 'allow', resources: [`proj/${projectKey}`], actions: ['viewProject'] }, ...(actions.length > 0 ? [{ effect: 'allow', resources: [resource], actions }] : [])];
  const made = await s.post('/api/v2/tokens', { name: actions.join() || 'viewer', inlineRole: statements });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return made.body.token as string;
}
