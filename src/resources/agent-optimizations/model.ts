// Agent optimizations as stored: a project's optimization configs (AgentControl, beta in LaunchDarkly) and the results
// clients post for their runs. An optimization names the agent-mode AI Config it improves (and optionally the
// variation to start from), the judges and acceptance statements a candidate must pass, the models a run may try,
// and the inputs it is tried on; every update makes a new version. A run is a client's optimization loop (LaunchDarkly's
// optimizer SDK, `optimize_from_config`), identified by the UUID the client picks; each of its iterations is one
// result, posted when the iteration starts and updated as it goes. iterlab runs no optimizer. The request bodies, the
// lookups and the rules, pure but for the lookups.
import { Type, type Static, type TOptional } from '@sinclair/typebox';
import { notFound, validationFailed, type FieldError } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { JsonObject, Key, StringEnum } from '../../http/schemas.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { AgentOptimizationResultsTable, AgentOptimizationsTable } from '../../store/schema.js';
import { configDoc } from '../ai-configs/model.js';

export type OptimizationRow = AgentOptimizationsTable;
export type ResultRow = AgentOptimizationResultsTable;

export interface AcceptanceStatement {
  statement: string;
  threshold: number;
}

export interface OptimizationJudge {
  key: string;
  threshold: number;
}

/** A version of an optimization: every member of AgentOptimizationPost but its key. */
export interface OptimizationDoc {
  aiConfigKey: string;
  maxAttempts: number;
  modelChoices: string[];
  judgeModel: string;
  variableChoices: Record<string, unknown>[];
  acceptanceStatements: AcceptanceStatement[];
  judges: OptimizationJudge[];
  userInputOptions: string[];
  groundTruthResponses: string[];
  metricKey?: string;
  tokenLimit?: number;
  variationKey?: string;
  label?: string;
  latencyOptimization?: boolean;
  tokenOptimization?: boolean;
  autoCommit?: boolean;
}

export const RESULT_STATUSES = ['RUNNING', 'PASSED', 'FAILED', 'ERRORED'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];
export const RESULT_ACTIVITIES = ['PENDING', 'GENERATING', 'EVALUATING', 'GENERATING_VARIATION', 'VALIDATING', 'COMPLETED'] as const;
export type ResultActivity = (typeof RESULT_ACTIVITIES)[number];

/** What a result holds besides its run, iteration, version, status and activity (its columns). */
export interface ResultDoc {
  instructions: string;
  userInput: string;
  parameters?: Record<string, unknown>;
  completionResponse?: string;
  variation?: Record<string, unknown>;
  scores?: Record<string, unknown>;
  generationTokens?: Record<string, unknown>;
  evaluationTokens?: Record<string, unknown>;
  generationLatency?: number;
  evaluationLatencies?: Record<string, unknown>;
  createdVariationKey?: string;
}

/** Items a list member may have: far more inputs, models or judges than any optimization is run with. */
export const MAX_ITEMS = 1000;

/** A judge's score, and so a threshold, is between 0 and 1: LaunchDarkly's judges "return scores between 0.0 and 1.0". */
const Threshold = Type.Number({ minimum: 0, maximum: 1 });
const Text = Type.String({ maxLength: 1_000_000 });
const ModelName = Type.String({ minLength: 1, maxLength: 1024 });
const list = <T extends Parameters<typeof Type.Array>[0]>(item: T) => Type.Array(item, { maxItems: MAX_ITEMS });

const DEFINITION = {
  maxAttempts: Type.Integer({ minimum: 1 }),
  modelChoices: list(ModelName),
  judgeModel: ModelName,
  variableChoices: list(JsonObject),
  acceptanceStatements: list(Type.Object({ statement: Type.String({ minLength: 1, maxLength: 100_000 }), threshold: Threshold }, { additionalProperties: false })),
  judges: list(Type.Object({ key: Key, threshold: Threshold }, { additionalProperties: false })),
  userInputOptions: list(Text),
  groundTruthResponses: list(Text),
  metricKey: Key,
  tokenLimit: Type.Integer({ minimum: 1 }),
  variationKey: Key,
  label: Type.String({ maxLength: 1024 }),
  latencyOptimization: Type.Boolean(),
  tokenOptimization: Type.Boolean(),
  autoCommit: Type.Boolean(),
};
type Definition = typeof DEFINITION;
const optional = Object.fromEntries(Object.entries(DEFINITION).map(([name, schema]) => [name, Type.Optional(schema)])) as { [K in keyof Definition]: TOptional<Definition[K]> };

export const AgentOptimizationPost = Type.Object(
  { ...optional, key: Key, aiConfigKey: Key, maxAttempts: DEFINITION.maxAttempts, judgeModel: DEFINITION.judgeModel },
  { additionalProperties: false },
);
export type AgentOptimizationPost = Static<typeof AgentOptimizationPost>;

/** Each member sent replaces the optimization's; the key and the AI Config it optimizes are not among them. */
export const AgentOptimizationPatch = Type.Object(optional, { additionalProperties: false });
export type AgentOptimizationPatch = Static<typeof AgentOptimizationPatch>;

export const AgentOptimizationResultPost = Type.Object(
  {
    runId: Type.String(),
    agentOptimizationVersion: Type.Integer({ minimum: 1 }),
    iteration: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }),
    instructions: Text,
    userInput: Text,
    parameters: Type.Optional(JsonObject),
  },
  { additionalProperties: false },
);
export type AgentOptimizationResultPost = Static<typeof AgentOptimizationResultPost>;

export const AgentOptimizationResultPatch = Type.Object(
  {
    status: Type.Optional(StringEnum(RESULT_STATUSES)),
    activity: Type.Optional(StringEnum(RESULT_ACTIVITIES)),
    completionResponse: Type.Optional(Text),
    variation: Type.Optional(JsonObject),
    scores: Type.Optional(JsonObject),
    generationTokens: Type.Optional(JsonObject),
    evaluationTokens: Type.Optional(JsonObject),
    generationLatency: Type.Optional(Type.Integer({ minimum: 0 })),
    evaluationLatencies: Type.Optional(JsonObject),
    createdVariationKey: Type.Optional(Key),
  },
  { additionalProperties: false },
);
export type AgentOptimizationResultPatch = Static<typeof AgentOptimizationResultPatch>;

/**
 * The actions of LaunchDarkly-style custom roles on `proj/p:agent-optimization/key`. LaunchDarkly documents none for
 * agent optimizations; these are iterlab's (docs/compatibility.md): results have their own, so that the token an
 * optimizer runs with may record runs without being able to change what is optimized.
 */
export const OPTIMIZATION_ACTIONS = {
  create: 'createAgentOptimization',
  update: 'updateAgentOptimization',
  delete: 'deleteAgentOptimization',
  createResult: 'createAgentOptimizationResult',
  updateResult: 'updateAgentOptimizationResult',
  deleteRun: 'deleteAgentOptimizationRun',
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A run ID as a body sends it, lower-cased so that one run is one run however it is written; 400 naming `attribute` unless a UUID. */
export function requireUuid(value: string, attribute: string): string {
  if (!UUID.test(value)) throw validationFailed([{ attribute, reason: `must be a UUID (as "046b6c7f-0b8a-43b9-b35d-6489e6daee91"), not "${value}"` }]);
  return value.toLowerCase();
}

/** A run's or a result's ID in a path, lower-cased; undefined when it is no UUID, so no run or result has it (a 404). */
export function pathUuid(value: string): string | undefined {
  return UUID.test(value) ? value.toLowerCase() : undefined;
}

export function runNotFound(runId: string, optimization: Pick<OptimizationRow, 'key'>) {
  return notFound(`Run "${runId}" of agent optimization "${optimization.key}"`);
}

export function optimizationDoc(row: Pick<OptimizationRow, 'doc'>): OptimizationDoc {
  return JSON.parse(row.doc) as OptimizationDoc;
}

export function resultDoc(row: Pick<ResultRow, 'doc'>): ResultDoc {
  return JSON.parse(row.doc) as ResultDoc;
}

/** The definition a body makes of `current` (none for a new optimization): each member sent replaces the current one. */
export function nextDoc(current: OptimizationDoc | undefined, body: AgentOptimizationPatch & { aiConfigKey?: string }): OptimizationDoc {
  const merged: Record<string, unknown> = { ...current };
  for (const [name, value] of Object.entries(body)) if (name !== 'key' && value !== undefined) merged[name] = value;
  const doc = merged as unknown as OptimizationDoc;
  // The lists every AgentOptimization has, empty when never sent.
  for (const name of ['modelChoices', 'variableChoices', 'acceptanceStatements', 'judges', 'userInputOptions', 'groundTruthResponses'] as const) {
    if (doc[name] === undefined) (doc as unknown as Record<string, unknown[]>)[name] = [];
  }
  return doc;
}

export function definesDifferently(a: OptimizationDoc, b: OptimizationDoc): boolean {
  return !deepEqual(a, b);
}

/**
 * Every problem with a definition that needs no lookup, each naming its field: a judge named twice, and expected
 * outputs that do not line up with their inputs (LaunchDarkly's optimizer pairs `groundTruthResponses[i]` with
 * `userInputOptions[i]` and `variableChoices[i]`, and refuses lists of different lengths).
 */
export function definitionProblems(doc: OptimizationDoc): FieldError[] {
  const problems: FieldError[] = [];
  const first = new Map<string, number>();
  doc.judges.forEach((judge, i) => {
    const earlier = first.get(judge.key);
    if (earlier === undefined) first.set(judge.key, i);
    else problems.push({ attribute: `judges[${i}].key`, reason: `"${judge.key}" is already judges[${earlier}]: each judge is named once` });
  });
  const expected = doc.groundTruthResponses.length;
  if (expected > 0) {
    for (const name of ['userInputOptions', 'variableChoices'] as const) {
      if (doc[name].length !== expected) {
        problems.push({ attribute: 'groundTruthResponses', reason: `has ${expected} expected output(s) but ${name} has ${doc[name].length}: each expected output is paired with the user input and the variables at its index` });
      }
    }
  }
  return problems;
}

/**
 * The references of a definition to what the project does not have, each naming its field: the AI Config optimized
 * (an agent-mode one: an optimization rewrites an agent's instructions), the variation to start from (one of that
 * config's), each judge (a judge-mode AI Config) and the metric. Only the fields in `sent` are looked at, so that an
 * update is not refused for what it did not change.
 */
export async function referenceProblems(db: Db | Trx, store: Pick<Store, 'kind'>, projectId: string, doc: OptimizationDoc, sent: ReadonlySet<string>): Promise<FieldError[]> {
  const problems: FieldError[] = [];
  const judgeKeys = sent.has('judges') ? doc.judges.map((judge) => judge.key) : [];
  const configKeys = [...new Set([doc.aiConfigKey, ...judgeKeys])];
  let query = db.selectFrom('ai_configs').select(['id', 'key', 'doc']).where('project_id', '=', projectId).where('key', 'in', configKeys);
  // Shared locks on PostgreSQL: an AI Config (or a variation of it) being deleted meanwhile waits for this write and
  // then sees the optimization that names it, or this write waits for the deletion and finds the config gone.
  if (store.kind === 'postgres') query = query.forShare();
  const configs = new Map((await query.execute()).map((row) => [row.key, row]));
  const optimized = configs.get(doc.aiConfigKey);
  if (sent.has('aiConfigKey')) {
    if (!optimized) problems.push({ attribute: 'aiConfigKey', reason: `"${doc.aiConfigKey}" is not an AI Config of this project` });
    else if (configDoc(optimized).mode !== 'agent') problems.push({ attribute: 'aiConfigKey', reason: `AI Config "${doc.aiConfigKey}" is not an agent (its mode is ${configDoc(optimized).mode}): an optimization improves an agent-mode AI Config's instructions` });
  }
  if (sent.has('variationKey') && doc.variationKey !== undefined && optimized) {
    const variation = await db.selectFrom('ai_config_variations').select('key').where('config_id', '=', optimized.id).where('key', '=', doc.variationKey).executeTakeFirst();
    if (!variation) problems.push({ attribute: 'variationKey', reason: `"${doc.variationKey}" is not a variation of AI Config "${doc.aiConfigKey}"` });
  }
  doc.judges.forEach((judge, i) => {
    if (!sent.has('judges')) return;
    const row = configs.get(judge.key);
    if (!row) problems.push({ attribute: `judges[${i}].key`, reason: `"${judge.key}" is not an AI Config of this project` });
    else if (configDoc(row).mode !== 'judge') problems.push({ attribute: `judges[${i}].key`, reason: `AI Config "${judge.key}" is not a judge (its mode is ${configDoc(row).mode})` });
  });
  if (sent.has('metricKey') && doc.metricKey !== undefined) {
    const metric = await db.selectFrom('metrics').select('key').where('project_id', '=', projectId).where('key', '=', doc.metricKey).executeTakeFirst();
    if (!metric) problems.push({ attribute: 'metricKey', reason: `"${doc.metricKey}" is not a metric of this project` });
  }
  return problems;
}

/** The keys of the project's optimizations that optimize the AI Config or judge with it, in key order. */
export async function optimizationsNaming(db: Db | Trx, projectId: string, configKey: string): Promise<string[]> {
  const rows = await db.selectFrom('agent_optimizations').select(['key', 'doc']).where('project_id', '=', projectId).orderBy('key').execute();
  return rows
    .filter((row) => {
      const doc = optimizationDoc(row);
      return doc.aiConfigKey === configKey || doc.judges.some((judge) => judge.key === configKey);
    })
    .map((row) => row.key);
}

/** The keys of the project's optimizations that start from the variation of the AI Config, in key order. */
export async function optimizationsStartingFrom(db: Db | Trx, projectId: string, configKey: string, variationKey: string): Promise<string[]> {
  const rows = await db.selectFrom('agent_optimizations').select(['key', 'doc']).where('project_id', '=', projectId).orderBy('key').execute();
  return rows.filter((row) => optimizationDoc(row).aiConfigKey === configKey && optimizationDoc(row).variationKey === variationKey).map((row) => row.key);
}

/** An optimization of the project by key (404 naming it); locked until commit on PostgreSQL when `lock` names the store. */
export async function findOptimization(db: Db | Trx, projectId: string, key: string, lock?: Pick<Store, 'kind'>): Promise<OptimizationRow> {
  let query = db.selectFrom('agent_optimizations').selectAll().where('project_id', '=', projectId).where('key', '=', key);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Agent optimization "${key}"`);
  return row;
}

/** A result of the optimization by ID (404 naming it); locked until commit on PostgreSQL when `lock` names the store. */
export async function findResult(db: Db | Trx, optimization: OptimizationRow, id: string, lock?: Pick<Store, 'kind'>): Promise<ResultRow> {
  const resultId = pathUuid(id);
  if (resultId === undefined) throw notFound(`Result "${id}" of agent optimization "${optimization.key}"`);
  let query = db.selectFrom('agent_optimization_results').selectAll().where('optimization_id', '=', optimization.id).where('id', '=', resultId);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Result "${id}" of agent optimization "${optimization.key}"`);
  return row;
}

/** Whether a result's iteration is over: its status says how it ended, or its activity that it completed. */
export function isCompleted(status: string, activity: string): boolean {
  return status !== 'RUNNING' || activity === 'COMPLETED';
}

/** A run, as its results make it up: its first result's time, and the result updated last (which says where the run is). */
export interface Run {
  runId: string;
  createdAt: number;
  latest: ResultRow;
}

/**
 * The optimization's runs from its results: each run's creation is its first result's, and its state (status,
 * activity, version, completion) the result updated last, as LaunchDarkly's optimizer SDK expects ("the backend
 * reports the run as still running" while its last-updated result is RUNNING). Newest run first.
 */
export function runsOf(results: readonly ResultRow[]): Run[] {
  const runs = new Map<string, Run>();
  for (const row of results) {
    const run = runs.get(row.run_id);
    if (!run) {
      runs.set(row.run_id, { runId: row.run_id, createdAt: row.created_at, latest: row });
      continue;
    }
    run.createdAt = Math.min(run.createdAt, row.created_at);
    if (updatedLater(row, run.latest)) run.latest = row;
  }
  return [...runs.values()].sort((a, b) => b.createdAt - a.createdAt || b.latest.created_at - a.latest.created_at || (a.runId < b.runId ? -1 : 1));
}

function updatedLater(a: ResultRow, b: ResultRow): boolean {
  return a.updated_at !== b.updated_at ? a.updated_at > b.updated_at : a.iteration > b.iteration;
}

/** Results newest first: a later iteration of a run before an earlier one, then by time, then by ID (so pages never overlap). */
export function newestFirst(a: ResultRow, b: ResultRow): number {
  return b.created_at - a.created_at || b.iteration - a.iteration || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export async function optimizationResults(db: Db | Trx, optimizationId: string, runId?: string): Promise<ResultRow[]> {
  let query = db.selectFrom('agent_optimization_results').selectAll().where('optimization_id', '=', optimizationId);
  if (runId !== undefined) query = query.where('run_id', '=', runId);
  return query.execute();
}
