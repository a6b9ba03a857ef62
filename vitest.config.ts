// Every test runs twice: on SQLite and on PostgreSQL. Without a reachable PostgreSQL the second run is skipped,
// loudly; with ITERLAB_REQUIRE_POSTGRES=1 (CI) that is an error instead.
import { defineConfig } from 'vitest/config';
import { postgresAvailable, ADMIN_DATABASE_URL } from './test/support/db.js';

export default defineConfig(async () => {
  const pgUp = await postgresAvailable();
  if (!pgUp) {
    const message = `PostgreSQL is not reachable at ${ADMIN_DATABASE_URL} (set TEST_DATABASE_URL)`;
    if (process.env.ITERLAB_REQUIRE_POSTGRES === '1') throw new Error(`${message}; ITERLAB_REQUIRE_POSTGRES=1 makes it mandatory`);
    const bar = '!'.repeat(100);
    process.stderr.write(`\n${bar}\n!!! ${message}\n!!! SKIPPING the PostgreSQL run: only SQLite is tested.\n${bar}\n\n`);
  }
  const shared = {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['test/support/setup.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  };
  const projects = [{ test: { ...shared, name: 'sqlite', env: { ITERLAB_TEST_DB: 'sqlite' } } }];
  if (pgUp) projects.push({ test: { ...shared, name: 'postgres', env: { ITERLAB_TEST_DB: 'postgres' } } });
  return { test: { projects } };
});
