// Races: many clients at once on one experiment, a rival experiment and their flag — create iteration, start, stop,
// archive/restore, flag JSON patches with and without a `test` on the environment version, flag archive/restore.
// After every round the invariants are checked in the database and through the API: one draft and one running
// iteration at most; experiment rollouts exactly where running iterations own rules; versions never reused for
// different content and never going back; no acknowledged write lost; a `test` on one version admits one writer.
// FUZZ_SEED replays a schedule, RACE_ROUNDS sets the rounds, RACE_DEBUG=1 prints refusals and server errors.
import { random } from '../src/analysis/bayesian.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlagConfigDoc } from '../src/resources/flags/model.js';
import type { IterationDoc } from '../src/resources/experiments/model.js';
import { canonicalJson } from '../src/resources/flags/validate.js';
import { createExperimentIn, createWorld, experimentsPath, iterationBody, type World } from './support/fixtures.js';
import { errorShapeProblems, FUZZ_SEED } from './support/fuzz.js';
import { startServer, type Response, type TestServer } from './support/server.js';

const ROUNDS = Number(process.env.RACE_ROUNDS ?? 8);
const CLIENTS = 8;
const OPS_PER_CLIENT = 8;
const CONTENDERS = 8;
const EXPERIMENTS = ['race-exp', 'rival-exp'];

/** A small seeded PRNG (mulberry32), so a failing schedule can be replayed with FUZZ_SEED. */
const prng = random;

type OpKind =
  | 'createIteration'
  | 'start'
  | 'stop'
  | 'archive'
  | 'restore'
  | 'tag'
  | 'guardedTag'
  | 'description'
  | 'toggleTest'
  | 'fallthrough'
  | 'ruleRewrite'
  | 'archiveFlag'
  | 'restoreFlag'
  | 'read';

const WEIGHTS: [OpKind, number][] = [
  ['createIteration', 8],
  ['start', 6],
  ['stop', 4],
  ['archive', 1],
  ['restore', 2],
  ['tag', 3],
  ['guardedTag', 3],
  ['description', 2],
  ['toggleTest', 2],
  ['fallthrough', 2],
  ['ruleRewrite', 2],
  ['archiveFlag', 1],
  ['restoreFlag', 2],
  ['read', 2],
];

/** Statuses each operation may answer with; anything else (a 5xx above all) is a failure. */
const ALLOWED: Record<OpKind, number[]> = {
  createIteration: [200, 400],
  start: [200, 400, 409],
  stop: [200, 400],
  archive: [200, 400],
  restore: [200],
  tag: [200, 409],
  guardedTag: [200, 409],
  description: [200, 409],
  toggleTest: [200, 409],
  fallthrough: [200, 409],
  ruleRewrite: [200, 409],
  archiveFlag: [200, 409],
  restoreFlag: [200],
  read: [200],
};

interface Outcome {
  client: number;
  kind: OpKind;
  experiment?: string;
  status: number;
  body: any;
  started: number;
  ended: number;
  /** A tag this write added (each is unique). */
  tag?: string;
  /** Marks the write (in its comment or hypothesis), so its audit entry can be found. */
  id?: string;
}

/**
 * Writes that may change nothing (the value is already there, the experiment already archived or restored):
 * acknowledged, with no audit entry.
 */
const MAY_BE_NO_OP = new Set<OpKind>(['toggleTest', 'fallthrough', 'ruleRewrite', 'archiveFlag', 'restoreFlag', 'archive', 'restore']);

describe('races on one experiment and its flag', () => {
  let s: TestServer;
  let w: World;
  let flagPath: string;
  const failures: string[] = [];
  const totals = { rounds: 0, operations: 0, contests: 0, statuses: new Map<string, number>() };
  /** Every representation of the flag seen, by environment version: one version must always mean one config. */
  const configsByVersion = new Map<string, string>();
  /** Flag representations returned by writes (computed under the flag's lock), by `_version`. */
  const repsByVersion = new Map<number, string>();
  const ackedTags = new Set<string>();
  const sentTags = new Set<string>();
  let tagSeq = 0;

  beforeAll(async () => {
    // The clock wanders back by up to 2 s, as a request's clock read before it waited for a lock (or another
    // instance's clock) does: the order of writes must not depend on the times they carry.
    const wander = prng(FUZZ_SEED * 31 + 7);
    const now = () => Date.now() - Math.floor(wander() * 2000);
    s = await startServer(process.env.RACE_DEBUG ? { now, logger: { level: 'error', stream: { write: (line: string) => process.stderr.write(line.slice(0, 1500) + '\n') } } } : { now });
    w = await createWorld(s);
    flagPath = `/api/v2/flags/${w.project}/${w.flag}`;
    for (const key of EXPERIMENTS) await createExperimentIn(s, w, key);
  });
  afterAll(async () => {
    const statuses = [...totals.statuses].sort().map(([k, n]) => `${k}×${n}`).join(' ');
    console.log(`races (${s.store.kind}, seed ${FUZZ_SEED}): ${totals.rounds} rounds, ${totals.operations} concurrent operations by ${CLIENTS} clients, ${totals.contests} guarded-patch contests of ${CONTENDERS}\n  ${statuses}`);
    await s.close();
  });

  /** Records a flag representation: each environment version must always come with the same targeting. */
  function observeFlag(rep: any, where: string, fromWrite: boolean): void {
    if (!rep?.environments) return;
    for (const [envKey, env] of Object.entries<any>(rep.environments)) {
      const key = `${envKey}@${env.version}`;
      const { _summary: _s, ...config } = env;
      const text = canonicalJson(config);
      const seen = configsByVersion.get(key);
      if (seen === undefined) configsByVersion.set(key, text);
      else if (seen !== text) failures.push(`${where}: environment ${envKey} version ${env.version} seen with two different targetings:\n    ${seen.slice(0, 400)}\n    ${text.slice(0, 400)}`);
    }
    if (fromWrite) {
      const text = canonicalJson(rep);
      const seen = repsByVersion.get(rep._version);
      if (seen === undefined) repsByVersion.set(rep._version, text);
      else if (seen !== text) failures.push(`${where}: flag _version ${rep._version} returned with two different contents`);
    }
  }

  async function currentFlag(): Promise<any> {
    const res = await s.get(flagPath);
    expect(res.status).toBe(200);
    observeFlag(res.body, 'GET flag', false);
    return res.body;
  }

  function newTag(round: number): string {
    const tag = `r${round}-t${++tagSeq}`;
    sentTags.add(tag);
    return tag;
  }

  async function run(kind: OpKind, client: number, round: number, seq: number, random: () => number): Promise<Outcome> {
    const experiment = EXPERIMENTS[random() < 0.7 ? 0 : 1];
    const started = performance.now();
    let res!: Response;
    let tag: string | undefined;
    const id = `r${round}-c${client}-${seq}`;
    const comment = `[${id}]`;
    const patchExperiment = (instructions: unknown[]) => s.patch(experimentsPath(w, experiment), { comment, instructions });
    const patchFlag = (patch: unknown[]) => s.patch(flagPath, { comment, patch });
    switch (kind) {
      case 'createIteration': {
        // As clients do: read the flag's version, send it, and read again when someone changed the flag meanwhile.
        const ruleId = random() < 0.5 ? 'fallthrough' : w.ruleId;
        for (let attempt = 0; attempt < 3; attempt++) {
          const version = (await currentFlag()).environments.production.version;
          res = await s.post(`${experimentsPath(w, experiment)}/iterations`, iterationBody(w, { hypothesis: `round ${round} client ${client} ${comment}`, flags: { [w.flag]: { ruleId, flagConfigVersion: version } } }));
          if (res.status !== 400 || !/flagConfigVersion/.test(res.body.message)) break;
        }
        break;
      }
      case 'start':
        res = await patchExperiment([{ kind: 'startIteration', changeJustification: `client ${client}` }]);
        break;
      case 'stop':
        res = await patchExperiment([{ kind: 'stopIteration', winningTreatmentId: w.variations[Math.floor(random() * 2)], winningReason: 'race' }]);
        break;
      case 'archive':
        res = await patchExperiment([{ kind: 'archiveExperiment' }]);
        break;
      case 'restore':
        res = await patchExperiment([{ kind: 'restoreExperiment' }]);
        break;
      case 'tag':
        tag = newTag(round);
        res = await patchFlag([{ op: 'add', path: '/tags/-', value: tag }]);
        break;
      case 'guardedTag': {
        const version = (await currentFlag()).environments.production.version;
        tag = newTag(round);
        res = await patchFlag([{ op: 'test', path: '/environments/production/version', value: version }, { op: 'add', path: '/tags/-', value: tag }]);
        break;
      }
      case 'description':
        res = await patchFlag([{ op: 'replace', path: '/description', value: `round ${round} client ${client} at ${started.toFixed(3)}` }]);
        break;
      case 'toggleTest':
        res = await patchFlag([{ op: 'replace', path: '/environments/test/on', value: random() < 0.5 }]);
        break;
      case 'fallthrough':
        res = await patchFlag([{ op: 'replace', path: '/environments/production/fallthrough', value: { variation: Math.floor(random() * 2) } }]);
        break;
      case 'ruleRewrite': {
        // A client's read-modify-write of the experiment's rule, guarded by the version it read.
        const flag = await currentFlag();
        const env = flag.environments.production;
        const index = env.rules.findIndex((r: { _id: string }) => r._id === w.ruleId);
        const { rollout: _r, variation: _v, ...rule } = env.rules[index];
        res = await patchFlag([
          { op: 'test', path: '/environments/production/version', value: env.version },
          { op: 'replace', path: `/environments/production/rules/${index}`, value: { ...rule, variation: Math.floor(random() * 2) } },
        ]);
        break;
      }
      case 'archiveFlag':
        res = await patchFlag([{ op: 'replace', path: '/archived', value: true }]);
        break;
      case 'restoreFlag':
        res = await patchFlag([{ op: 'replace', path: '/archived', value: false }]);
        break;
      case 'read':
        res = await s.get(`${experimentsPath(w, experiment)}?expand=draftIteration,previousIterations`);
        break;
    }
    return { client, kind, experiment: ['createIteration', 'start', 'stop', 'archive', 'restore', 'read'].includes(kind) ? experiment : undefined, status: res.status, body: res.body, started, ended: performance.now(), tag, id };
  }

  function pick(random: () => number): OpKind {
    const total = WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
    let r = random() * total;
    for (const [kind, weight] of WEIGHTS) {
      r -= weight;
      if (r < 0) return kind;
    }
    return 'read';
  }

  async function iterationRows(experimentKey: string) {
    return s.store.db
      .selectFrom('iterations as i')
      .innerJoin('experiments as e', 'e.id', 'i.experiment_id')
      .select(['i.id', 'i.status', 'i.doc', 'e.key', 'e.status as experimentStatus', 'e.archived_date'])
      .where('e.key', '=', experimentKey)
      .execute();
  }

  /** The invariants, checked in the database and through the API. */
  async function checkInvariants(label: string, outcomes: Outcome[]): Promise<void> {
    const fail = (problem: string) => failures.push(`${label}: ${problem}`);
    const flagRow = await s.store.db.selectFrom('flags').select(['id', 'doc']).where('key', '=', w.flag).executeTakeFirstOrThrow();
    const configRows = await s.store.db
      .selectFrom('flag_configs as c')
      .innerJoin('environments as env', 'env.id', 'c.environment_id')
      .select(['env.key', 'c.doc', 'c.version'])
      .where('c.flag_id', '=', flagRow.id)
      .execute();
    const configs = new Map(configRows.map((row) => [row.key, { doc: JSON.parse(row.doc) as FlagConfigDoc, version: row.version }]));
    for (const [envKey, config] of configs) if (config.doc.version !== config.version) fail(`flag_configs.version ${config.version} and doc.version ${config.doc.version} differ in ${envKey}`);

    // Iterations: at most one draft and one running per experiment; the experiment's status follows them.
    const owners = new Map<string, string>();
    for (const key of EXPERIMENTS) {
      const rows = await iterationRows(key);
      const drafts = rows.filter((r) => r.status === 'not_started');
      const running = rows.filter((r) => r.status === 'running');
      if (drafts.length > 1) fail(`${key} has ${drafts.length} drafts`);
      if (running.length > 1) fail(`${key} has ${running.length} running iterations`);
      const experimentStatus = rows[0]?.experimentStatus;
      const expected = running.length > 0 ? 'running' : rows.some((r) => r.status === 'stopped') ? 'stopped' : 'not_started';
      if (rows.length > 0 && experimentStatus !== expected) fail(`${key} has status ${experimentStatus} but its iterations say ${expected}`);
      if (running.length > 0 && rows[0].archived_date !== null) fail(`${key} is archived while an iteration runs`);
      for (const row of rows) {
        const doc = JSON.parse(row.doc) as IterationDoc;
        if (doc.status !== row.status) fail(`${key} iteration ${row.id}: status column ${row.status}, doc ${doc.status}`);
        if (row.status === 'stopped' && doc.endedAt === undefined) fail(`${key} iteration ${row.id} stopped without endedAt`);
        const refs = await s.store.db.selectFrom('experiment_refs').select(['kind', 'key']).where('iteration_id', '=', row.id).execute();
        if (!refs.some((r) => r.kind === 'flag' && r.key === w.flag)) fail(`${key} iteration ${row.id} has no flag reference row`);
      }
      for (const row of running) {
        const doc = JSON.parse(row.doc) as IterationDoc;
        const ruleId = doc.flags[w.flag].ruleId;
        const other = owners.get(ruleId);
        if (other) fail(`rule ${ruleId} is owned by two running experiments, ${other} and ${key}`);
        owners.set(ruleId, key);
        // The owned rule serves exactly the rollout the iteration wrote.
        const production = configs.get('production')!.doc;
        const target = ruleId === 'fallthrough' ? production.fallthrough : production.rules.find((r) => r._id === ruleId);
        const written = doc.rollouts?.[w.flag];
        if (!target?.rollout?.experimentAllocation) fail(`${key} runs on ${ruleId} but that rule serves no experiment rollout: ${JSON.stringify(target)}`);
        else if (!written || target.rollout.seed !== written.seed || canonicalJson(target.rollout.variations) !== canonicalJson(written.variations)) {
          fail(`${key} runs on ${ruleId} but the rule's rollout is not the iteration's: ${JSON.stringify(target.rollout)} vs ${JSON.stringify(written)}`);
        }
      }
    }
    // Experiment rollouts exist only where a running iteration owns the rule, one per rule.
    for (const [envKey, { doc }] of configs) {
      const targets: [string, FlagConfigDoc['fallthrough']][] = [['fallthrough', doc.fallthrough], ...doc.rules.map((r): [string, FlagConfigDoc['fallthrough']] => [r._id, r])];
      const ids = doc.rules.map((r) => r._id);
      if (new Set(ids).size !== ids.length) fail(`${envKey} has duplicate rule ids ${ids.join(', ')}`);
      for (const [ruleId, target] of targets) {
        if (!target.rollout?.experimentAllocation) continue;
        if (envKey !== 'production' || !owners.has(ruleId)) fail(`${envKey} rule ${ruleId} serves an experiment rollout no running iteration owns`);
      }
    }

    // Through the API: the same picture.
    const flag = await currentFlag();
    if (flag.environments.production.version !== configs.get('production')!.version) fail('the API and the database disagree on the production version');
    // No observation ever showed a version the store has since gone back below.
    for (const key of configsByVersion.keys()) {
      const [envKey, version] = key.split('@');
      if (Number(version) > (configs.get(envKey)?.version ?? Infinity)) fail(`${envKey} version ${version} was observed, but the store is at ${configs.get(envKey)?.version}`);
    }
    for (const key of EXPERIMENTS) {
      const rep = (await s.get(`${experimentsPath(w, key)}?expand=draftIteration,previousIterations`)).body;
      const rows = await iterationRows(key);
      const draft = rows.find((r) => r.status === 'not_started');
      if ((rep.draftIteration?._id ?? null) !== (draft?.id ?? null)) fail(`${key}: API draft ${rep.draftIteration?._id} but database draft ${draft?.id}`);
      const running = rows.find((r) => r.status === 'running');
      if (running && (rep.currentIteration?._id !== running.id || rep.currentIteration.status !== 'running')) fail(`${key}: API current ${rep.currentIteration?._id} is not the running ${running.id}`);
      const listed = 1 + (rep.previousIterations?.length ?? 0) + (rep.draftIteration && rep.draftIteration._id !== rep.currentIteration?._id ? 1 : 0);
      if (rep.currentIteration && listed !== rows.length) fail(`${key}: the API shows ${listed} iterations, the database has ${rows.length}`);
    }

    // No acknowledged write lost.
    const finalTags = new Set<string>(flag.tags);
    for (const tag of ackedTags) if (!finalTags.has(tag)) fail(`acknowledged tag ${tag} is gone (a lost update)`);
    for (const tag of finalTags) if (sentTags.has(tag) && !ackedTags.has(tag)) fail(`tag ${tag} was written by a refused patch`);
    const descriptions = outcomes.filter((o) => o.kind === 'description' && o.status === 200).sort((a, b) => a.body._version - b.body._version);
    const lastDescription = descriptions.at(-1);
    if (lastDescription && lastDescription.body._version <= flag._version && flag.description !== lastDescription.body.description) {
      fail(`the description is ${JSON.stringify(flag.description)}, but the last acknowledged one (_version ${lastDescription.body._version}) set ${JSON.stringify(lastDescription.body.description)}`);
    }
    for (const key of EXPERIMENTS) {
      const rows = new Map((await iterationRows(key)).map((r) => [r.id, r]));
      const mine = outcomes.filter((o) => o.experiment === key && o.status === 200);
      const created = mine.filter((o) => o.kind === 'createIteration');
      for (const o of created) {
        if (rows.has(o.body._id)) continue;
        // A draft is replaced only by another create iteration that committed after it.
        const replacer = created.find((other) => other !== o && other.ended > o.started);
        if (!replacer) fail(`${key}: acknowledged iteration ${o.body._id} is gone and no later create iteration replaced it`);
        if (mine.some((other) => other.kind === 'start' && other.body.currentIteration?._id === o.body._id)) fail(`${key}: iteration ${o.body._id} was started, then vanished`);
      }
      for (const o of mine.filter((x) => x.kind === 'start')) {
        const row = rows.get(o.body.currentIteration?._id);
        if (!row || row.status === 'not_started') fail(`${key}: acknowledged start of ${o.body.currentIteration?._id} is not running or stopped (${row?.status})`);
      }
      for (const o of mine.filter((x) => x.kind === 'stop')) {
        const row = rows.get(o.body.currentIteration?._id);
        if (!row || row.status !== 'stopped') fail(`${key}: acknowledged stop of ${o.body.currentIteration?._id} is ${row?.status}`);
      }
    }

    // Audit entries are written with the change, in its transaction: one per acknowledged write, none for a refusal. A
    // start or stop also records the flag entries of the targeting it changed (described "by the experiment …"),
    // which carry its comment too: those are the flags' entries, not the write's own.
    const audits = (await s.store.db.selectFrom('audit_log').select('doc').execute())
      .map((a) => JSON.parse(a.doc) as { kind?: string; description?: string; comment?: string; after?: { hypothesis?: string } })
      .filter((d) => !(d.kind === 'flag' && d.description?.includes('(by the experiment ')));
    const marks = audits.map((d) => `${d.comment ?? ''} ${d.after?.hypothesis ?? ''}`);
    for (const o of outcomes) {
      if (!o.id || o.kind === 'read') continue;
      const found = marks.filter((m) => m.includes(`[${o.id}]`)).length;
      if (o.status < 300 && !(MAY_BE_NO_OP.has(o.kind) && found === 0) && found !== 1) fail(`${o.id} ${o.kind} was acknowledged but has ${found} audit entries`);
      if (o.status >= 300 && found !== 0) fail(`${o.id} ${o.kind} was refused with ${o.status} but has ${found} audit entries`);
    }
  }

  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}: ${CLIENTS} clients × ${OPS_PER_CLIENT} operations at once, then ${CONTENDERS} patches guarded by one version`, async () => {
      const random = prng(FUZZ_SEED * 1000 + round);
      const schedules = Array.from({ length: CLIENTS }, () => Array.from({ length: OPS_PER_CLIENT }, () => pick(random)));
      const outcomes: Outcome[] = [];
      await Promise.all(
        schedules.map(async (ops, client) => {
          const clientRandom = prng(FUZZ_SEED * 7919 + round * 101 + client);
          let lastVersion = -1;
          for (const [seq, kind] of ops.entries()) {
            const o = await run(kind, client, round, seq, clientRandom);
            outcomes.push(o);
            totals.operations += 1;
            totals.statuses.set(`${kind} ${o.status}`, (totals.statuses.get(`${kind} ${o.status}`) ?? 0) + 1);
            const where = `round ${round} client ${client} ${kind}${o.experiment ? ` ${o.experiment}` : ''}`;
            if (!ALLOWED[kind].includes(o.status)) failures.push(`${where}: status ${o.status} ${JSON.stringify(o.body).slice(0, 300)}`);
            if (o.status >= 400) for (const problem of errorShapeProblems({ status: o.status, body: o.body, headers: {} })) failures.push(`${where}: ${problem}`);
            if (process.env.RACE_DEBUG && o.status >= 400) console.log(`${kind} ${o.status} ${String(o.body.message).slice(0, 160)}`);
            if (o.tag && o.status === 200) ackedTags.add(o.tag);
            const isFlagWrite = ['tag', 'guardedTag', 'description', 'toggleTest', 'fallthrough', 'ruleRewrite', 'archiveFlag', 'restoreFlag'].includes(kind);
            if (isFlagWrite && o.status === 200) {
              observeFlag(o.body, where, true);
              // One client's observations never go back in time.
              const version = o.body.environments.production.version as number;
              if (version < lastVersion) failures.push(`${where}: production version went back from ${lastVersion} to ${version}`);
              lastVersion = version;
            }
            if (kind === 'guardedTag' && o.status === 409 && o.body.code !== 'optimistic_locking_error') failures.push(`${where}: a failed version test answered code ${o.body.code}`);
          }
        }),
      );
      await checkInvariants(`round ${round}`, outcomes);

      // N patches guarded by the same version: exactly one wins, the rest are 409 and write nothing.
      for (const path of ['/environments/production/version', '/_version']) {
        const flag = await currentFlag();
        const version = path === '/_version' ? flag._version : flag.environments.production.version;
        const tags = Array.from({ length: CONTENDERS }, () => newTag(round));
        // Each contender changes what its test guards: targeting for the environment version, anything for _version.
        const change = (tag: string) => (path === '/_version' ? { op: 'add', path: '/tags/-', value: tag } : { op: 'add', path: '/environments/production/targets/-', value: { values: [tag], variation: 0 } });
        const results = await Promise.all(tags.map((tag) => s.patch(flagPath, [{ op: 'test', path, value: version }, change(tag)])));
        totals.contests += 1;
        const statuses = results.map((r) => r.status).sort();
        const expected = [200, ...Array(CONTENDERS - 1).fill(409)];
        if (JSON.stringify(statuses) !== JSON.stringify(expected)) failures.push(`round ${round} contest on ${path}: statuses ${statuses.join(',')}`);
        for (const r of results.filter((x) => x.status === 409)) if (r.body.code !== 'optimistic_locking_error') failures.push(`round ${round} contest: 409 code ${r.body.code}`);
        results.forEach((r, i) => {
          if (r.status === 200) {
            if (path === '/_version') ackedTags.add(tags[i]);
            observeFlag(r.body, `round ${round} contest`, true);
          }
        });
        const after = await currentFlag();
        const written = new Set<string>([...after.tags, ...after.environments.production.targets.flatMap((t: { values: string[] }) => t.values)]);
        const winners = tags.filter((tag) => written.has(tag));
        if (winners.length !== 1) failures.push(`round ${round} contest on ${path}: ${winners.length} of the contenders' tags are on the flag`);
      }
      await checkInvariants(`round ${round} after the contest`, []);
      totals.rounds += 1;
      expect(failures.splice(0, failures.length)).toEqual([]);
    });
  }
});
