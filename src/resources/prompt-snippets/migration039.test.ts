// Migration 039 on a store whose snippets were made before snippets had versions: each becomes its version 1 as it
// was made (name, description, text; no tags, no maintainer), read and updated as any other snippet.
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as m039 from '../../store/migrations/039_prompt_snippet_versions.js';
import { objectId } from '../../store/ids.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('migration 039: prompt snippet versions', () => {
  let s: TestServer;
  const T = Date.UTC(2026, 3, 1);
  const snippets = '/api/v2/projects/shop/ai-configs/prompt-snippets';
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    const project = await s.store.db.selectFrom('projects').select('id').where('key', '=', 'shop').executeTakeFirstOrThrow();
    // The store as migration 031 left it: the snippet's content in its row's doc, no versions table.
    await sql`drop table prompt_snippet_versions`.execute(s.store.db);
    const old = { name: 'Voice «🚀»', description: 'How Otto speaks', text: 'Be brief.\n{{ldctx.key}}' };
    await s.store.db.insertInto('prompt_snippets').values({ id: objectId(T), project_id: project.id, key: 'voice', version: 1, doc: JSON.stringify(old), created_at: T }).execute();
    await m039.up(s.store.db as unknown as Kysely<unknown>);
  });
  afterAll(() => s.close());

  it('an older snippet is its version 1, as it was made', async () => {
    const res = await s.get(`${snippets}/voice`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      key: 'voice',
      _links: { parent: { href: snippets, type: 'application/json' }, self: { href: `${snippets}/voice`, type: 'application/json' } },
      name: 'Voice «🚀»',
      description: 'How Otto speaks',
      text: 'Be brief.\n{{ldctx.key}}',
      tags: [],
      version: 1,
      createdAt: T,
    });
    expect((await s.get(`${snippets}/voice/versions`)).body.totalCount).toBe(1);
  });

  it('and is updated to version 2 like any other', async () => {
    const res = await s.patch(`${snippets}/voice`, { tags: ['persona'] });
    expect(res.body).toMatchObject({ name: 'Voice «🚀»', text: 'Be brief.\n{{ldctx.key}}', tags: ['persona'], version: 2 });
    expect((await s.get(`${snippets}/voice/versions`)).body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });
});
