// The benchmark harness runs end to end (`npm run bench -- --smoke`: one-second slices; on SQLite `--rounds=2`, each
// target taken twice in turn, so the interleaving and the merging of slices run too) and prints figures for
// every scenario, peer, store and the soak. It checks the harness only: no figure is compared with anything.
// Every script measures one build made here by the harness's own buildIterlab (what `npm run bench` runs first),
// passed as BENCH_ITERLAB_MAIN (as an A/B names another build), instead of each building its own.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIterlab } from '../bench/lib/iterlab.js';
import { testDb } from './support/db.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const SCENARIOS = ['create-iteration', 'get-experiment', 'list-experiments', 'flag-patch', 'create-experiment'];
const LARGE = ['create-iteration', 'get-experiment', 'list-experiments'];
const NUMBER = String.raw`[\d,]+(?:\.\d+)?`;
/**
 * Slices of each target. Taking targets in turn and merging their slices is the harness's own logic, the same for
 * either store, so it runs once, on SQLite; PostgreSQL's run takes one slice (in one run of this file: 44 s with
 * one slice on PostgreSQL, 69 s with two on SQLite).
 */
const ROUNDS = testDb === 'sqlite' ? 2 : 1;

let build: ReturnType<typeof buildIterlab> | undefined;
beforeAll(() => {
  build = buildIterlab();
}, 180_000);
afterAll(() => build?.remove());

/** Runs a bench script under tsx from the repository's root; resolves with what it printed. */
function runScript(args: string[], timeoutMs: number): Promise<string> {
  const env = { ...process.env };
  if (build) env.BENCH_ITERLAB_MAIN = build.main;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
    );
  });
}

describe('npm run bench -- --smoke', () => {
  it('prints requests/s, latency, errors and RSS for every scenario, beside the ceiling and Prism', { timeout: 300_000 }, async () => {
    const json = path.join(os.tmpdir(), `iterlab-bench-smoke-${process.pid}-${Date.now()}.json`);
    try {
      const out = await runScript(['bench/run.ts', '--smoke', `--rounds=${ROUNDS}`, `--db=${testDb}`, `--json=${json}`], 280_000);
      const tables = out.split(`\n${testDb}: store with `).slice(1);
      expect(tables).toHaveLength(2);
      expect(tables[0].split('\n')[0]).toContain(`1 s each in ${ROUNDS} slice(s) taken in turn`);
      const row = (table: string, scenario: string) => table.split('\n').find((line) => line.startsWith(`${scenario} `));
      for (const scenario of SCENARIOS) {
        const line = row(tables[0], scenario);
        // rps, p50, p99, errors, RSS, CPU per request (all threads / event loop), ceiling rps, the ceiling's CPU per
        // request, share of the ceiling; then Prism's figures or '-'.
        expect(line, scenario).toMatch(
          new RegExp(`^${scenario}\\s+${NUMBER}\\s+${NUMBER}\\s+${NUMBER}\\s+\\d+\\s+${NUMBER}\\s+${NUMBER} / ${NUMBER}\\s+${NUMBER}\\s+${NUMBER}\\s+\\d+%\\s+`),
        );
        if (scenario === 'create-iteration') expect(line).toMatch(new RegExp(`${NUMBER}!?\\s+${NUMBER}x$`));
      }
      for (const scenario of LARGE) expect(row(tables[1], scenario), scenario).toMatch(new RegExp(`^${scenario}\\s+${NUMBER}\\s+`));
      expect(out).toContain(`data size, ${testDb}:`);
      expect(out).toMatch(new RegExp(`soak, ${testDb}: .*\\n  RSS MB each second: \\d+`));

      const results = JSON.parse(fs.readFileSync(json, 'utf8'));
      expect(results.rows.map((r: { store: string; scenario: string }) => `${r.store} ${r.scenario}`)).toEqual([
        ...SCENARIOS.map((s) => `small ${s}`),
        ...LARGE.map((s) => `large ${s}`),
      ]);
      for (const r of results.rows) {
        expect(r.iterlab.requests, `${r.store} ${r.scenario}`).toBeGreaterThan(0);
        expect(r.ceiling.requests, `${r.store} ${r.scenario} ceiling`).toBeGreaterThan(0);
        // CPU time per request, sampled from /proc around the measured run. (The event loop's is not compared with
        // the whole: the kernel scales a process's total and a thread's times separately, a tick apart either way.)
        for (const m of [r.iterlab, r.ceiling]) {
          expect(m.cpuUs.total, `${r.store} ${r.scenario} CPU`).toBeGreaterThan(0);
          expect(m.cpuUs.main, `${r.store} ${r.scenario} event loop CPU`).toBeGreaterThan(0);
        }
      }
    } finally {
      fs.rmSync(json, { force: true });
    }
  });
});

describe('bench/cold-list.ts', () => {
  it('prints the list after a write and warm, on a small store and a larger one', { timeout: 240_000 }, async () => {
    const out = await runScript(['bench/cold-list.ts', `--db=${testDb}`, '--rounds=3', '--experiments=200'], 220_000);
    const figures = String.raw`after a write ${NUMBER} ms, warm ${NUMBER} ms, cold - warm -?${NUMBER} ms`;
    expect(out).toMatch(new RegExp(`small store\\s+22 experiments: ${figures}`));
    expect(out).toMatch(new RegExp(`large store\\s+222 experiments: ${figures}`));
  });
});

describe('bench/contexts.ts', () => {
  it('sends contexts and times each read of the Contexts API beside the baseline', { timeout: 240_000 }, async () => {
    const out = await runScript(['bench/contexts.ts', `--db=${testDb}`, '--contexts=500', '--rounds=1'], 220_000);
    expect(out).toMatch(new RegExp(`${testDb}: 500 context instances \\(510 contexts\\) sent in`));
    for (const read of ['searchContexts', 'searchContextInstances', 'getContexts', 'getContextAttributeNames', 'getContextAttributeValues', 'getExperiment \\(baseline\\)']) {
      expect(out).toMatch(new RegExp(`${read}\\s+${NUMBER} ms`));
    }
    expect(out).toMatch(new RegExp(`getExperiment beside\\s+${NUMBER} ms median, ${NUMBER} ms slowest`));
  });
});

describe('bench/sdk-streams.ts', () => {
  it('times polls, connecting and a change reaching every stream, FDv1 and FDv2 in turn', { timeout: 240_000 }, async () => {
    const out = await runScript(['bench/sdk-streams.ts', `--db=${testDb}`, '--flags=5', '--streams=3', '--rounds=2'], 220_000);
    const figures = String.raw`median ${NUMBER} ms, slowest ${NUMBER} ms`;
    expect(out).toContain(`${testDb}: 5 flags added; 3 streams of each protocol; 2 rounds`);
    for (const poll of ['FDv1 GET /sdk/latest-all', 'FDv2 GET /sdk/poll', 'FDv2 GET /sdk/poll\\?basis \\(none\\)']) {
      expect(out).toMatch(new RegExp(`poll ${poll}\\s+${figures}; ${NUMBER} bytes`));
    }
    for (const protocol of ['FDv1 GET /all', 'FDv2 GET /sdk/stream']) {
      expect(out).toMatch(new RegExp(`${protocol}: the first stream\\s+${NUMBER} ms; ${NUMBER} bytes`));
      expect(out).toMatch(new RegExp(`${protocol}: each other stream\\s+${figures}`));
      expect(out).toMatch(new RegExp(`${protocol}: flag PATCH answered\\s+${figures}`));
      expect(out).toMatch(new RegExp(`${protocol}: the change reached every stream\\s+${figures} \\(6 arrivals\\)`));
    }
    expect(out).toMatch(new RegExp(`FDv2 GET /sdk/stream\\?basis: a reconnect\\s+${figures}; ${NUMBER} bytes`));
  });
});

describe('bench/startup.ts', () => {
  it('times the start to listening and to a first API call, beside bare Fastify and node alone', { timeout: 180_000 }, async () => {
    const out = await runScript(['bench/startup.ts', `--db=${testDb}`, '--runs=1'], 160_000);
    const figures = String.raw`median\s+${NUMBER} ms, fastest\s+${NUMBER} ms`;
    expect(out).toContain(`\n${testDb}: from the spawn of node\n`);
    for (const row of ['node alone \\(exits at once\\)', 'bare Fastify: listening', 'iterlab, new store: listening', 'iterlab, new store: first API call answered', 'iterlab, existing store: listening', 'iterlab, existing store: first API call answered']) {
      expect(out).toMatch(new RegExp(`\n  ${row}\\s+${figures}`));
    }
  });
});

describe('bench/threads.ts', () => {
  it("prints a run's requests/s, the machine's shares and each busy thread's CPU per request", { timeout: 180_000 }, async () => {
    const out = await runScript(['bench/threads.ts', `--db=${testDb}`, '--runs=1', '--seconds=1'], 160_000);
    expect(out).toMatch(new RegExp(`${testDb} create-iteration, run 1: ${NUMBER} rps, p50 ${NUMBER} ms, p99 ${NUMBER} ms, 0 errors; machine user \\d+% system \\d+% idle \\d+%`));
    expect(out).toMatch(new RegExp(`\n  event loop +user +${NUMBER} system +${NUMBER} µs/req, \\d+% of a core`));
  });
});

// PostgreSQL's own wait events: run where the tests' database is PostgreSQL.
describe.runIf(testDb === 'postgres')('bench/pg-waits.ts', () => {
  it('prints each run and the wait events sampled from pg_stat_activity', { timeout: 180_000 }, async () => {
    const out = await runScript(['bench/pg-waits.ts', '--runs=1', '--seconds=1'], 160_000);
    expect(out).toMatch(new RegExp(`run 1: ${NUMBER} rps, p50 ${NUMBER} ms, p99 ${NUMBER} ms, 0 errors`));
    expect(out).toMatch(/\d+ samples of pg_stat_activity, a backend active in \d+ \(\d+%\); of those, with a backend in:\n {2}\S+\s+\d+%/);
  });
});

describe('bench/webhooks.ts', () => {
  it('times writes with a webhook off and on, and their deliveries', { timeout: 240_000 }, async () => {
    const out = await runScript(['bench/webhooks.ts', `--db=${testDb}`, '--clients=2', '--writes=10', '--rounds=2'], 220_000);
    expect(out).toContain(`${testDb}: 2 rounds of 10 flag PATCHes by 2 clients, a signed webhook off and on in turn`);
    expect(out).toMatch(new RegExp(`round 1, webhook off\\s+${NUMBER} writes/s, server CPU ${NUMBER} µs a write`));
    expect(out).toMatch(new RegExp(`round 2, webhook on\\s+${NUMBER} writes/s, server CPU ${NUMBER} µs a write and its delivery`));
    expect(out).toMatch(new RegExp(`writes/s, webhook on \\(median of rounds\\)\\s+${NUMBER} \\(${NUMBER} of off\\)`));
    expect(out).toMatch(new RegExp(`delivery, entry date to arrival\\s+median ${NUMBER} ms, p99 ${NUMBER} ms, slowest ${NUMBER} ms \\(10 deliveries\\)`));
  });
});

// An A/B of the harness's build against itself: both sides start, the slices alternate, the ratios print.
describe('bench/ab.ts', () => {
  it('measures two builds in alternating slices and prints their medians and ratios', { timeout: 180_000 }, async () => {
    const main = build!.main;
    const out = await runScript(['bench/ab.ts', main, main, `--db=${testDb}`, '--only=create-iteration', '--slices=1', '--seconds=1'], 160_000);
    expect(out).toContain(`${testDb} create-iteration: 1 pairs of 1 s slices, 10 connections`);
    for (const side of ['A', 'B']) {
      expect(out).toMatch(new RegExp(`\n  ${side}: median ${NUMBER} rps \\(slices ${NUMBER}\\), p99 ${NUMBER} ms, CPU µs/req ${NUMBER} / event loop ${NUMBER}`));
    }
    expect(out).toMatch(new RegExp(`B/A requests/s: median ${NUMBER} \\(pairs ${NUMBER}-${NUMBER}\\); B/A event loop µs per request: median ${NUMBER}`));
  });
});

describe('bench/scale.ts', () => {
  it('serves one authenticated GET from an instance on the store, with autocannon', { timeout: 180_000 }, async () => {
    const out = await runScript(['bench/scale.ts', '--instances', '1', '--store', testDb, '--duration', '1'], 160_000);
    expect(out).toMatch(new RegExp(`${testDb} instances=1 connections=30 1s GET /api/v2/projects/bench: ${NUMBER} req/s \\(total \\d+\\), latency p50 \\d+ ms p99 \\d+ ms, non-2xx/errors 0`));
  });
});

// Each PostgreSQL query of one request: run where the tests' database is PostgreSQL. (It starts a test server outside
// Vitest, which broke unseen once: test/support/serverDatabase.ts.)
describe.runIf(testDb === 'postgres')('bench/pg-round-trips.ts', () => {
  it("times a bare round trip and each of create iteration's queries", { timeout: 180_000 }, async () => {
    const out = await runScript(['bench/pg-round-trips.ts', 'create-iteration', '5'], 160_000);
    expect(out).toMatch(new RegExp(`a bare round trip \\(select \\$1, one client, one at a time\\): ${NUMBER} µs wall, ${NUMBER} µs of this process's CPU`));
    expect(out).toMatch(new RegExp(`create-iteration on PostgreSQL, 5 requests one at a time: ${NUMBER} ms each, ${NUMBER} ms of it waiting for queries`));
    expect(out).toMatch(/\n\s+\d+\s+1\.0\s+\d+\s+select iterlab_write_drafts\(\$1::jsonb\)/);
  });
});
