// A process on SQLite without REDIS_URL serves without loading the Redis client or node-postgres: each stays in
// memory for the process's life once loaded (~4 and ~3 MB of heap), against the 150 MB target (bench/README.md, 43).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { testDb } from './support/db.js';

const ROOT = path.resolve(import.meta.dirname, '..');

// Builds the app as `iterlab serve` does, answers one request, then lists the packages of every CommonJS module
// loaded (ESM's imports of CommonJS packages go through the same cache).
const PROBE = `
import { createRequire } from 'node:module';
import { buildApp } from './src/app.ts';
import { loadConfig } from './src/config.ts';
const { app } = await buildApp(loadConfig({ DATABASE_URL: process.env.PROBE_DATABASE_URL, LOG_LEVEL: 'silent', ITERLAB_ADMIN_TOKEN: 'api-lazy-modules-admin', REDIS_URL: process.env.PROBE_REDIS_URL ?? '' }));
const reply = await app.inject({ method: 'GET', url: '/api/v2/projects', headers: { authorization: 'api-lazy-modules-admin' } });
const packages = new Set(Object.keys(createRequire(import.meta.url).cache).map((file) => /node_modules\\/((@[^/]+\\/)?[^/]+)\\//.exec(file)?.[1]).filter(Boolean));
await app.close();
console.log(JSON.stringify({ status: reply.statusCode, packages: [...packages].sort() }));
`;

async function loadedPackages(env: Record<string, string>): Promise<{ status: number; packages: string[] }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PROBE], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as { status: number; packages: string[] };
}

describe('modules loaded only when used', () => {
  it.skipIf(testDb !== 'sqlite')('on SQLite without REDIS_URL, neither redis nor pg is loaded', async () => {
    const probe = await loadedPackages({ PROBE_DATABASE_URL: 'sqlite::memory:' });
    expect(probe.status).toBe(200);
    // The probe sees the packages that are loaded: the SQLite driver is among them.
    expect(probe.packages).toContain('better-sqlite3');
    expect(probe.packages.filter((name) => name === 'pg' || name === 'redis' || name.startsWith('@redis/'))).toEqual([]);
  }, 60_000);
});
