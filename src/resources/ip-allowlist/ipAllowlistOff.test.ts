// The way back in: turnOffTokenAllowlist (and `iterlab ip-allowlist-off`, run as the real CLI) turns enforcement for
// access tokens off, audited, keeping the entries; the running server answers every address again at once (the
// change bus); run again, it changes nothing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../store/db.js';
import { iterlabArgs } from '../../../test/support/built.js';
import { freshDatabase, testDb } from '../../../test/support/db.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { turnOffTokenAllowlist } from './recovery.js';

const BETA = { 'LD-API-Version': 'beta' };
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The allowlist enforced with one entry, 203.0.113.0/24, enabled from inside it. */
async function lockedOut(s: TestServer): Promise<void> {
  expect((await s.post('/api/v2/account/ip-allowlist', { ipAddress: '203.0.113.0/24' }, { headers: BETA })).status).toBe(201);
  expect((await s.patch('/api/v2/account/ip-allowlist', { apiTokenAllowlistEnabled: true }, { headers: BETA, remoteAddress: '203.0.113.1' })).status).toBe(200);
  expect((await s.get('/api/v2/projects', { remoteAddress: '198.51.100.1' })).status).toBe(403);
}

describe('turning the IP allowlist off for a locked-out operator', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iterlab-allowlist-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('turnOffTokenAllowlist: every address answered again at once; audited; entries kept; a second run changes nothing', async () => {
    const s = await startServer();
    try {
      await lockedOut(s);
      expect(await turnOffTokenAllowlist(s.store, s.bus, Date.now())).toBe(true);
      expect((await s.get('/api/v2/projects', { remoteAddress: '198.51.100.1' })).status).toBe(200);
      const list = (await s.get('/api/v2/account/ip-allowlist', { headers: BETA, remoteAddress: '198.51.100.1' })).body;
      expect(list).toMatchObject({ apiTokenAllowlistEnabled: false, entries: [{ ipAddress: '203.0.113.0/24' }] });
      const entry = (await s.get(`/api/v2/auditlog?spec=${encodeURIComponent('ip-allowlist/settings')}`)).body.items[0];
      expect(entry).toMatchObject({ kind: 'ip-allowlist', name: 'IP allowlist' });
      expect(await turnOffTokenAllowlist(s.store, s.bus, Date.now())).toBe(false);
    } finally {
      await s.close();
    }
  });

  // Two runs of the CLI as its own process (and the worker's bundle built first, if no other test built it): seconds
  // on a busy CI machine.
  it('iterlab ip-allowlist-off, run as the CLI on the store', { timeout: 120_000 }, async () => {
    const database = testDb === 'sqlite' ? { url: `sqlite:${path.join(dir, 'locked.db')}`, drop: async () => {} } : await freshDatabase('postgres');
    try {
      const s = await startServer({ store: Store.open(database.url) });
      await lockedOut(s);
      await s.close();
      const run = () => spawnSync(process.execPath, iterlabArgs('ip-allowlist-off'), { cwd: ROOT, env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' }, encoding: 'utf8' });
      const first = run();
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toBe('iterlab: the IP allowlist no longer applies to access tokens (its entries are kept)\n');
      expect(run().stdout).toBe('iterlab: the IP allowlist was not enforced for access tokens; nothing changed\n');
      const again = await startServer({ store: Store.open(database.url), tokens: s.tokens });
      try {
        expect((await again.get('/api/v2/projects', { remoteAddress: '198.51.100.1' })).status).toBe(200);
      } finally {
        await again.close();
      }
    } finally {
      await database.drop();
    }
  });
});
