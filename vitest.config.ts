// Every test runs twice: on SQLite and on PostgreSQL. Without a reachable PostgreSQL the second run is skipped,
// loudly; with ITERLAB_REQUIRE_POSTGRES=1 (CI) that is an error instead.
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { postgresAvailable, ADMIN_DATABASE_URL } from './test/support/db.js';

/**
 * The files that take longest (from 20 s to over two minutes on a 2-core machine, in a vitest JSON report), in that
 * order. Vitest starts the files that took longest last time first, but only from its results cache, which a fresh
 * clone (CI) lacks; it then starts the largest first, and a long but small file started last ran alone for minutes.
 */
const SLOWEST = [
  'test/bench-smoke.test.ts',
  'test/hostile-http.test.ts',
  'test/export-import.test.ts',
  'test/export-import-cli.test.ts',
  'test/fuzz-flags.test.ts',
  'test/crash.test.ts',
  'test/shutdown.test.ts',
  'test/fuzz-experiments.test.ts',
  'test/migrations.test.ts',
  'src/resources/webhooks/delivery.test.ts',
];

/** Vitest's order, with SLOWEST first. */
class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const i = SLOWEST.indexOf(path.relative(file.project.config.root, file.moduleId).split(path.sep).join('/'));
      return i < 0 ? SLOWEST.length : i;
    };
    const sorted = await super.sort(files);
    return sorted.map((file, i) => ({ file, i, rank: rank(file) })).sort((a, b) => a.rank - b.rank || a.i - b.i).map(({ file }) => file);
  }
}

export default defineConfig(async () => {
  const pgUp = await postgresAvailable();
  if (!pgUp) {
    const message = `PostgreSQL is not reachable at ${ADMIN_DATABASE_URL} (set TEST_DATABASE_URL)`;
    if (process.env.ITERLAB_REQUIRE_POSTGRES === '1') throw new Error(`${message}; ITERLAB_REQUIRE_POSTGRES=1 makes it mandatory`);
    const bar = '!'.repeat(100);
    process.stderr.write(`\n${bar}\n!!! ${message}\n!!! SKIPPING the PostgreSQL run: only SQLite is tested.\n${bar}\n\n`);
  }
  // The tests' PostgreSQL sessions commit without waiting for the WAL's flush to disk: what a commit makes visible is
  // the same, only a crash of PostgreSQL itself could lose one, and a run's test databases are thrown away. (A subset
  // of four slices' PostgreSQL tests ran 4-6% faster.) A PGOPTIONS of the caller's own is kept.
  const env = { PGOPTIONS: process.env.PGOPTIONS ?? '-c synchronous_commit=off' };
  const shared = {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['test/support/setup.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  };
  const projects = [{ test: { ...shared, name: 'sqlite', env: { ...env, ITERLAB_TEST_DB: 'sqlite' } } }];
  if (pgUp) projects.push({ test: { ...shared, name: 'postgres', env: { ...env, ITERLAB_TEST_DB: 'postgres' } } });
  return {
    test: {
      projects,
      // Vitest leaves one core free by default, which on a 2-core machine ran one file at a time.
      maxWorkers: os.availableParallelism(),
      // Test files share their worker's module registry: each imports the whole app and compiles the spec's
      // validators, which isolation redid for every file (the vitest run took 840 s isolated, 357-395 s shared,
      // the same results). A file must therefore leave no module state behind: no vi.mock, timers restored,
      // servers closed. (Set here: Vitest 3 reads it for the pool, not per project.)
      isolate: false,
      sequence: { sequencer: SlowestFirst },
    },
  };
});
