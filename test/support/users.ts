// Users as SDKs send them, for the Users API's tests: the Contexts API's seed (sandy alone, henry only in a
// multi-context, kai without `kind` and with a redacted email) and abbie, in the SDKs' older user format.
import { beforeAll, expect } from 'vitest';
import { seededServer, T0 } from './contexts.js';
import { sdkKeyOf } from './sdk.js';
import type { TestServer } from './server.js';

export const ABBIE_SEEN = T0 + 500;
/** The older user format: built-ins at the top, the rest under `custom` (and a built-in of the wrong type). */
const ABBIE = { key: 'abbie', firstName: 'Abbie', lastName: 'Braun', email: 'abbie@example.com', ip: 127, custom: { activeTrial: false, groups: ['beta', 'pro'] } };

/** Sends events with these contexts, each at its time, to the shop project's production environment. */
export async function sendUsers(s: TestServer, contexts: { context: Record<string, unknown>; at: number }[]): Promise<void> {
  const events = contexts.map(({ context, at }) => ({ kind: 'index', creationDate: at, context }));
  expect((await s.request('POST', '/bulk', { body: events, token: await sdkKeyOf(s, 'shop') })).status).toBe(202);
}

/** A suite's server with the seed's users (abbie, henry, kai, sandy); `users` is the Users API's path of the environment. */
export function usersServer(): { s: TestServer; users: string } {
  const world = seededServer() as { s: TestServer; base: string; users: string };
  beforeAll(async () => {
    await sendUsers(world.s, [{ context: ABBIE, at: ABBIE_SEEN }]);
    world.users = '/api/v2/users/shop/production';
  });
  return world;
}
