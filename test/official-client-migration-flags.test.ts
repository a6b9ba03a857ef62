// Migration flags end to end with the official clients, unchanged: launchdarkly-api-typescript creates a six-stage
// migration flag (postFeatureFlag with purpose "migration" and migrationSettings), reads it with
// expand=migrationSettings and moves its default cohort through the stages with patchFeatureFlag; the official Node
// SDK evaluates it with migrationVariation and runs a migration (createMigration: reads and writes against an old and
// a new store) in each stage, and its migration_op events are accepted by iterlab's event intake and kept; and
// postMigrationSafetyIssues judges a move back out of the last stage.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Configuration, FeatureFlagsApi, ProjectsApi } from 'launchdarkly-api-typescript';
import { createMigration, LDExecutionOrdering, LDMigrationStage, LDSerialExecution, type LDClient, type LDMigration } from '@launchdarkly/node-server-sdk';
import { sdkClient, sdkKeyOf } from './support/sdk.js';
import { startServer, type TestServer } from './support/server.js';

const P = 'migration-client';
const FLAG = 'orders-db';
const STAGES = ['off', 'dualwrite', 'shadow', 'live', 'rampdown', 'complete'];
const account = { kind: 'account', key: 'acct-1' };

describe('migration flags through launchdarkly-api-typescript and the Node SDK', () => {
  let s: TestServer;
  let flags: FeatureFlagsApi;
  let sdk: LDClient;
  let sdkKey: string;
  /** The two systems the migration moves between: what each holds, and the calls each answered. */
  const old = { data: new Map<string, string>([['order-1', 'shipped']]), calls: [] as string[] };
  const fresh = { data: new Map<string, string>(), calls: [] as string[] };
  let migration: LDMigration<string | undefined, string, string, { id: string; status: string }>;

  /** Serves every context of production the stage `stage`: the default cohort all in it, the flag on. */
  async function moveTo(stage: string) {
    const weights = STAGES.map((_, i) => ({ op: 'replace', path: `/environments/production/fallthrough/rollout/variations/${i}/weight`, value: STAGES[i] === stage ? 100000 : 0 }));
    await flags.patchFeatureFlag(P, FLAG, { patch: [{ op: 'replace', path: '/environments/production/on', value: true }, ...weights] });
    await vi.waitFor(async () => expect((await sdk.migrationVariation(FLAG, account, LDMigrationStage.Off)).value).toBe(stage), { timeout: 5000 });
  }

  beforeAll(async () => {
    s = await startServer({ listen: true });
    const admin = new Configuration({ apiKey: s.tokens.admin, basePath: s.url });
    flags = new FeatureFlagsApi(new Configuration({ apiKey: s.tokens.writer, basePath: s.url }));
    await new ProjectsApi(admin).postProject({ name: 'Migrations', key: P });
    sdkKey = await sdkKeyOf(s, P);
    sdk = sdkClient(s.url, sdkKey, { sendEvents: true, flushInterval: 3600 });
    await sdk.waitForInitialization({ timeout: 10 });
    const store = (system: typeof old, name: string) => ({
      // The SDK passes the payload given to read or write, which these tests always give.
      read: async (id?: string) => {
        system.calls.push(`read ${id}`);
        return { success: true as const, result: system.data.get(id!) };
      },
      write: async (order?: { id: string; status: string }) => {
        system.calls.push(`write ${order!.id}`);
        system.data.set(order!.id, order!.status);
        return { success: true as const, result: `${name}:${order!.id}` };
      },
    });
    const o = store(old, 'old');
    const n = store(fresh, 'new');
    migration = createMigration(sdk, {
      readOld: o.read,
      readNew: n.read,
      writeOld: o.write,
      writeNew: n.write,
      check: (a, b) => a === b,
      execution: new LDSerialExecution(LDExecutionOrdering.Fixed),
    });
  });
  afterAll(async () => {
    sdk?.close();
    await s?.close();
  });

  it('postFeatureFlag creates the six stages; expand=migrationSettings reads the settings back', async () => {
    const created = (await flags.postFeatureFlag(P, { name: 'Orders DB', key: FLAG, purpose: 'migration', migrationSettings: { stageCount: 6, contextKind: 'account' } })).data;
    expect(created._purpose).toBe('migration');
    expect(created.kind).toBe('multivariate');
    expect(created.variations.map((v) => v.value)).toEqual(STAGES);
    expect(created.defaults).toEqual({ onVariation: 0, offVariation: 0 });
    const read = (await flags.getFeatureFlag(P, FLAG, 'production', 'migrationSettings')).data;
    expect(read.migrationSettings).toEqual({ contextKind: 'account', stageCount: 6 });
    expect(read.environments!.production.migrationSettings).toEqual({ checkRatio: 1 });
  });

  it('the SDK evaluates it: off while the flag is off, then the stage its default cohort serves', async () => {
    await vi.waitFor(async () => {
      const stage = await sdk.migrationVariation(FLAG, account, LDMigrationStage.Complete);
      expect(stage.value).toBe('off');
    }, { timeout: 5000 });
    expect((await sdk.variationDetail(FLAG, account, 'none')).reason).toEqual({ kind: 'OFF' });
    await moveTo('dualwrite');
    expect((await sdk.variationDetail(FLAG, account, 'none')).reason).toEqual({ kind: 'FALLTHROUGH' });
  });

  it('createMigration reads and writes as each stage says', async () => {
    // dualwrite: old answers reads; writes go to both.
    await moveTo('dualwrite');
    old.calls.length = 0;
    fresh.calls.length = 0;
    const written = await migration.write(FLAG, account, LDMigrationStage.Off, { id: 'order-1', status: 'delivered' });
    expect(written.authoritative).toMatchObject({ origin: 'old', success: true, result: 'old:order-1' });
    expect(written.nonAuthoritative).toMatchObject({ origin: 'new', success: true });
    expect(await migration.read(FLAG, account, LDMigrationStage.Off, 'order-1')).toMatchObject({ origin: 'old', result: 'delivered' });
    expect(old.calls).toEqual(['write order-1', 'read order-1']);
    expect(fresh.calls).toEqual(['write order-1']);

    // shadow: both are read (and compared); old answers.
    await moveTo('shadow');
    fresh.data.set('order-1', 'lost');
    const shadow = await migration.read(FLAG, account, LDMigrationStage.Off, 'order-1');
    expect(shadow).toMatchObject({ origin: 'old', success: true, result: 'delivered' });
    expect(fresh.calls.at(-1)).toBe('read order-1');

    // live: both are read; new answers.
    await moveTo('live');
    fresh.data.set('order-1', 'delivered');
    expect(await migration.read(FLAG, account, LDMigrationStage.Off, 'order-1')).toMatchObject({ origin: 'new', result: 'delivered' });

    // complete: only new is read and written.
    await moveTo('complete');
    old.calls.length = 0;
    const done = await migration.write(FLAG, account, LDMigrationStage.Off, { id: 'order-2', status: 'new' });
    expect(done.authoritative).toMatchObject({ origin: 'new', result: 'new:order-2' });
    expect(done.nonAuthoritative).toBeUndefined();
    expect(await migration.read(FLAG, account, LDMigrationStage.Off, 'order-2')).toMatchObject({ origin: 'new', result: 'new' });
    expect(old.calls).toEqual([]);
  });

  it('postMigrationSafetyIssues: a move back out of complete affects the old system; a step on within both systems does not', async () => {
    // The default cohort is at complete (the test above left it there): its variation ids by stage.
    const ids = Object.fromEntries((await flags.getFeatureFlag(P, FLAG)).data.variations.map((v) => [v.value as string, v._id!]));
    const back = await flags.postMigrationSafetyIssues(P, FLAG, 'production', {
      comment: 'roll back?',
      instructions: [{ kind: 'updateFallthroughVariationOrRollout', rolloutWeights: { [ids.live]: 100000 }, rolloutContextKind: 'account' }],
    });
    expect(back.status).toBe(200);
    expect(back.data).toEqual([{ causingRuleId: 'fallthrough', affectedRuleIds: ['fallthrough'], issue: expect.stringContaining('complete to live'), oldSystemAffected: true }]);
    const onwards = await flags.postMigrationSafetyIssues(P, FLAG, 'production', { instructions: [{ kind: 'turnFlagOn' }] });
    expect(onwards.status).toBe(204);
    // Nothing was changed by asking.
    expect((await sdk.migrationVariation(FLAG, account, LDMigrationStage.Off)).value).toBe('complete');
  });

  it("iterlab accepts the SDK's migration_op events and keeps them as sent", async () => {
    await sdk.flush();
    const rows = await s.store.db.selectFrom('sdk_events').select(['kind', 'doc']).where('kind', '=', 'migration_op').execute();
    expect(rows.length).toBeGreaterThanOrEqual(6);
    const events = rows.map((row) => JSON.parse(row.doc));
    for (const event of events) {
      expect(event.evaluation).toMatchObject({ key: FLAG, default: 'off' });
      expect(['read', 'write']).toContain(event.operation);
    }
    // The shadow read compared both systems (every read: no check ratio is set) and found them apart.
    const shadowRead = events.find((e) => e.operation === 'read' && e.evaluation.value === 'shadow');
    expect(shadowRead.measurements).toContainEqual(expect.objectContaining({ key: 'consistent', value: false }));
    expect(shadowRead.measurements).toContainEqual({ key: 'invoked', values: { old: true, new: true } });
  });

  it("an environment's check ratio reaches the SDK flag data as migration.checkRatio", async () => {
    await flags.patchFeatureFlag(P, FLAG, { patch: [{ op: 'replace', path: '/environments/production/migrationSettings/checkRatio', value: 5 }] });
    const payload = await fetch(`${s.url}/sdk/latest-all`, { headers: { Authorization: sdkKey } }).then((r) => r.json() as Promise<{ flags: Record<string, { migration?: unknown }> }>);
    expect(payload.flags[FLAG].migration).toEqual({ checkRatio: 5 });
    expect((await flags.getFeatureFlag(P, FLAG, 'production', 'migrationSettings')).data.environments!.production.migrationSettings).toEqual({ checkRatio: 5 });
  });
});
