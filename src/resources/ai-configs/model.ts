// AI Configs: a project's configurations of a generative AI feature (a mode, and variations of model and prompt),
// each backed by a flag of the same key that SDKs evaluate (see served.ts). The stored shapes, the bodies clients
// send, the checks a variation passes, and the lookups. A variation keeps every version: a patch adds one.
import { Type, type Static } from '@sinclair/typebox';
import { notFound, type FieldError } from '../../http/errors.js';
import { bodyAjv } from '../../http/validation.js';
import { Key, Name, StringEnum, Tags } from '../../http/schemas.js';
import type { Db, Store, Trx } from '../../store/db.js';
import { uuid } from '../../store/ids.js';
import type { AiConfigsTable, AiConfigVariationsTable } from '../../store/schema.js';
import { lookUpModelConfig, restrictedKeys, type ModelConfig } from '../ai-model-configs/model.js';
import { findMember, type MemberRow } from '../members/members.js';
import type { TeamRow } from '../teams/model.js';

export type AIConfigRow = AiConfigsTable;
export type VariationRow = AiConfigVariationsTable;

export const MODES = ['agent', 'completion', 'judge'] as const;
export type AIConfigMode = (typeof MODES)[number];

/** The roles a prompt message may have: the AI SDK's, and the `developer` role of OpenAI's newer models. */
export const MESSAGE_ROLES = ['system', 'user', 'assistant', 'developer'] as const;

export interface AIConfigDoc {
  name: string;
  description: string;
  tags: string[];
  mode: AIConfigMode;
  maintainerId?: string;
  maintainerTeamKey?: string;
  evaluationMetricKey?: string;
  isInverted?: boolean;
  /** 1 when created, one more for every change to the config or its variations. */
  version: number;
  updatedAt: number;
}

export interface Message {
  role: string;
  content: string;
}

export interface JudgeConfiguration {
  judges: { judgeConfigKey: string; samplingRate: number }[];
}

export interface VariationTool {
  key: string;
  version: number;
  customParameters?: Record<string, unknown>;
}

/** One version of a variation. */
export interface VariationDoc {
  name: string;
  comment?: string;
  description?: string;
  instructions?: string;
  messages?: Message[];
  /** As the client sent it: `modelName`, `parameters`, `custom`... */
  model: Record<string, unknown>;
  modelConfigKey?: string;
  tools?: VariationTool[];
  judgeConfiguration?: JudgeConfiguration;
  /** The JSON Schema of the structured output the variation asks the model for (2026-07), kept as sent. */
  outputFormat?: Record<string, unknown>;
  state: 'published' | 'archived';
  publishedAt?: number;
  archivedAt?: number;
}

/** A variation as it is now: its latest version. */
export interface Variation {
  id: string;
  key: string;
  version: number;
  doc: VariationDoc;
  /** When this version was made. */
  createdAt: number;
}

export interface LoadedAIConfig {
  row: AIConfigRow;
  doc: AIConfigDoc;
  /** Each variation's latest version, in the order the variations were created. */
  variations: Variation[];
}

export const AI_CONFIGS_URL = '/api/v2/projects/:projectKey/ai-configs';
export const AI_CONFIG_URL = `${AI_CONFIGS_URL}/:configKey`;

/**
 * Path segments beside `{configKey}` under /ai-configs (model configs, prompt snippets, quick stats): no AI Config
 * may take one as its key, or its routes would be another resource's.
 */
export const RESERVED_CONFIG_KEYS = ['model-configs', 'prompt-snippets', 'quick-stats'];

const Text = Type.String({ maxLength: 8192 });
const Prompt = Type.String({ maxLength: 1_000_000 });
const Messages = Type.Array(Type.Object({ role: StringEnum(MESSAGE_ROLES), content: Prompt }, { additionalProperties: false }), { maxItems: 1000 });
const Model = Type.Object(
  {
    modelName: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    parameters: Type.Optional(Type.Unsafe<Record<string, unknown>>({ type: 'object' })),
    custom: Type.Optional(Type.Unsafe<Record<string, unknown>>({ type: 'object' })),
  },
  { additionalProperties: true },
);
const Tools = Type.Array(
  Type.Object(
    { key: Key, version: Type.Integer({ minimum: 1 }), customParameters: Type.Optional(Type.Unsafe<Record<string, unknown>>({ type: 'object' })) },
    { additionalProperties: false },
  ),
  { maxItems: 100 },
);
const Judges = Type.Object(
  { judges: Type.Array(Type.Object({ judgeConfigKey: Key, samplingRate: Type.Number({ minimum: 0, maximum: 1 }) }, { additionalProperties: false }), { maxItems: 100 }) },
  { additionalProperties: false },
);

const variationFields = {
  comment: Type.Optional(Text),
  description: Type.Optional(Text),
  instructions: Type.Optional(Prompt),
  messages: Type.Optional(Messages),
  model: Type.Optional(Model),
  modelConfigKey: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  tools: Type.Optional(Tools),
  toolKeys: Type.Optional(Type.Array(Key, { maxItems: 100 })),
  judgeConfiguration: Type.Optional(Judges),
  outputFormat: Type.Optional(Type.Unsafe<Record<string, unknown>>({ type: 'object' })),
};

export const AIConfigVariationPost = Type.Object({ key: Key, name: Name, ...variationFields }, { additionalProperties: false });
export type AIConfigVariationPost = Static<typeof AIConfigVariationPost>;

export const AIConfigVariationPatch = Type.Object(
  { name: Type.Optional(Name), ...variationFields, published: Type.Optional(Type.Boolean()), state: Type.Optional(StringEnum(['archived', 'published'] as const)) },
  { additionalProperties: false },
);
export type AIConfigVariationPatch = Static<typeof AIConfigVariationPatch>;

const configFields = {
  description: Type.Optional(Text),
  maintainerId: Type.Optional(Type.String({ minLength: 1 })),
  maintainerTeamKey: Type.Optional(Type.String({ minLength: 1 })),
  tags: Type.Optional(Tags),
  evaluationMetricKey: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  isInverted: Type.Optional(Type.Boolean()),
};

export const AIConfigPost = Type.Object(
  {
    key: Key,
    name: Name,
    mode: Type.Optional(StringEnum(MODES)),
    defaultVariation: Type.Optional(AIConfigVariationPost),
    ...configFields,
    /** The views the new AI Config is linked to (2026-07): its flag is linked to each, as linkResource links flags. */
    viewKeys: Type.Optional(Type.Array(Key, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type AIConfigPost = Static<typeof AIConfigPost>;

export const AIConfigPatch = Type.Object({ name: Type.Optional(Name), ...configFields }, { additionalProperties: false });
export type AIConfigPatch = Static<typeof AIConfigPatch>;

export interface ConfigParams {
  projectKey: string;
  configKey: string;
}

export function configDoc(row: Pick<AIConfigRow, 'doc'>): AIConfigDoc {
  return JSON.parse(row.doc) as AIConfigDoc;
}

function variationOf(row: VariationRow): Variation {
  return { id: row.id, key: row.key, version: row.version, doc: JSON.parse(row.doc) as VariationDoc, createdAt: row.created_at };
}

/** Of version rows (by key, then version), each variation's latest version, in the order the variations were created. */
function latestOf(rows: readonly VariationRow[]): Variation[] {
  const byKey = new Map<string, { first: VariationRow; last: VariationRow }>();
  for (const row of rows) {
    const seen = byKey.get(row.key);
    byKey.set(row.key, { first: seen?.first ?? row, last: row });
  }
  return [...byKey.values()]
    .sort((a, b) => a.first.created_at - b.first.created_at || a.first.key.localeCompare(b.first.key))
    .map(({ last }) => variationOf(last));
}

/** Each variation's latest version, in the order the variations were created (their first versions' order). */
export async function latestVariations(db: Db | Trx, configId: string): Promise<Variation[]> {
  return latestOf(await db.selectFrom('ai_config_variations').selectAll().where('config_id', '=', configId).orderBy('key').orderBy('version').execute());
}

/** Every version of one variation, oldest first. */
export async function variationVersions(db: Db | Trx, configId: string, key: string): Promise<Variation[]> {
  const rows = await db.selectFrom('ai_config_variations').selectAll().where('config_id', '=', configId).where('key', '=', key).orderBy('version').execute();
  return rows.map(variationOf);
}

async function loadConfigRow(db: Db | Trx, projectId: string, key: string, lock?: Pick<Store, 'kind'>): Promise<AIConfigRow | undefined> {
  let query = db.selectFrom('ai_configs').selectAll().where('project_id', '=', projectId).where('key', '=', key);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The AI Config with its variations, or a 404 naming it and its project; locked until commit on PostgreSQL when `lock` names the store. */
export async function findAIConfig(db: Db | Trx, project: { id: string; key: string }, key: string, lock?: Pick<Store, 'kind'>): Promise<LoadedAIConfig> {
  const row = await loadConfigRow(db, project.id, key, lock);
  if (!row) throw notFound(`AI Config "${key}" in project "${project.key}"`);
  return { row, doc: configDoc(row), variations: await latestVariations(db, row.id) };
}

/** The variation of the config by key, as it is now; a 404 naming it. */
export function findVariation(config: LoadedAIConfig, key: string): Variation {
  const variation = config.variations.find((v) => v.key === key);
  if (!variation) throw notFound(`Variation "${key}" of AI Config "${config.row.key}"`);
  return variation;
}

/** The project's AI Configs, oldest first, with their variations (read in one query). */
export async function listAIConfigs(db: Db | Trx, projectId: string): Promise<LoadedAIConfig[]> {
  const rows = await db.selectFrom('ai_configs').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('key').execute();
  if (rows.length === 0) return [];
  const versions = await db
    .selectFrom('ai_config_variations as v')
    .innerJoin('ai_configs as c', 'c.id', 'v.config_id')
    .selectAll('v')
    .where('c.project_id', '=', projectId)
    .orderBy('v.config_id')
    .orderBy('v.key')
    .orderBy('v.version')
    .execute();
  const byConfig = new Map<string, VariationRow[]>();
  for (const version of versions) byConfig.set(version.config_id, [...(byConfig.get(version.config_id) ?? []), version]);
  return rows.map((row) => ({ row, doc: configDoc(row), variations: latestOf(byConfig.get(row.id) ?? []) }));
}

/** The AI Configs whose variations (as they are now) use the model config. */
export async function configsUsingModelConfig(db: Db | Trx, projectId: string, modelConfigKey: string): Promise<{ configKey: string; variationKey: string }[]> {
  const out: { configKey: string; variationKey: string }[] = [];
  for (const config of await listAIConfigs(db, projectId)) {
    for (const variation of config.variations) if (variation.doc.modelConfigKey === modelConfigKey) out.push({ configKey: config.row.key, variationKey: variation.key });
  }
  return out;
}

/**
 * What is wrong with a variation as it would be stored, each problem naming its field: the prompt its config's
 * mode takes (messages, or an agent's instructions), a model config of the project or a global one (not one the
 * project restricts, unless the variation had it already), judges that are judge-mode AI Configs of the project.
 */
/**
 * Why an output format is not a JSON Schema (by the draft-07 meta-schema, which allows keywords it does not know),
 * or undefined when it is one.
 */
export function outputFormatProblem(format: Record<string, unknown>): string | undefined {
  try {
    if (bodyAjv.validateSchema(format)) return undefined;
    const first = bodyAjv.errors?.[0];
    return `is not a JSON Schema: ${first?.instancePath ? `${first.instancePath} ` : ''}${first?.message ?? 'invalid'}`;
  } catch (error) {
    return `is not a JSON Schema: ${(error as Error).message}`;
  }
}

export async function variationProblems(db: Db | Trx, projectId: string, mode: AIConfigMode, doc: VariationDoc, previous: VariationDoc | undefined): Promise<FieldError[]> {
  const problems: FieldError[] = [];
  if (doc.outputFormat !== undefined && doc.outputFormat !== previous?.outputFormat) {
    const problem = outputFormatProblem(doc.outputFormat);
    if (problem) problems.push({ attribute: 'outputFormat', reason: problem });
  }
  if (mode === 'agent' && (doc.messages?.length ?? 0) > 0) problems.push({ attribute: 'messages', reason: 'an agent-mode AI Config takes instructions, not messages' });
  if (mode !== 'agent' && doc.instructions) problems.push({ attribute: 'instructions', reason: `a ${mode}-mode AI Config takes messages, not instructions (only agent-mode AI Configs take instructions)` });
  if (doc.modelConfigKey !== undefined) {
    const model = await lookUpModelConfig(db, projectId, doc.modelConfigKey);
    if (!model) problems.push({ attribute: 'modelConfigKey', reason: `there is no model config "${doc.modelConfigKey}" in this project (nor a global one)` });
    else if (doc.modelConfigKey !== previous?.modelConfigKey && (await restrictedKeys(db, projectId)).has(doc.modelConfigKey)) {
      problems.push({ attribute: 'modelConfigKey', reason: `model config "${doc.modelConfigKey}" is restricted in this project` });
    }
  }
  const judges = doc.judgeConfiguration?.judges ?? [];
  for (const [i, judge] of judges.entries()) {
    const row = await loadConfigRow(db, projectId, judge.judgeConfigKey);
    if (!row) problems.push({ attribute: `judgeConfiguration.judges[${i}].judgeConfigKey`, reason: `there is no AI Config "${judge.judgeConfigKey}" in this project` });
    else if (configDoc(row).mode !== 'judge') problems.push({ attribute: `judgeConfiguration.judges[${i}].judgeConfigKey`, reason: `AI Config "${judge.judgeConfigKey}" is not a judge (its mode is ${configDoc(row).mode})` });
  }
  if (new Set(judges.map((j) => j.judgeConfigKey)).size < judges.length) problems.push({ attribute: 'judgeConfiguration.judges', reason: 'names a judge more than once' });
  problems.push(...(await toolProblems(db, projectId, doc.tools, previous?.tools)));
  return problems;
}

/** The model configs the variations name, by key (for what SDKs are served and what tokens cost). */
export async function modelConfigsOf(db: Db | Trx, projectId: string, variations: readonly Variation[]): Promise<Map<string, ModelConfig>> {
  const out = new Map<string, ModelConfig>();
  for (const key of new Set(variations.flatMap((v) => (v.doc.modelConfigKey !== undefined ? [v.doc.modelConfigKey] : [])))) {
    const found = await lookUpModelConfig(db, projectId, key);
    if (found) out.set(key, found);
  }
  return out;
}

/** Who maintains the config: a member, or a team. */
export type MaintainerRef = { member: MemberRow } | { team: TeamRow } | undefined;

/** The config's maintainer as stored (a member or team since deleted is no longer shown). */
export async function maintainerOf(db: Db | Trx, doc: Pick<AIConfigDoc, 'maintainerId' | 'maintainerTeamKey'>): Promise<MaintainerRef> {
  if (doc.maintainerTeamKey !== undefined) {
    const team = await db.selectFrom('teams').selectAll().where('key', '=', doc.maintainerTeamKey).executeTakeFirst();
    return team ? { team } : undefined;
  }
  const member = doc.maintainerId !== undefined ? await findMember(db, doc.maintainerId) : undefined;
  return member ? { member } : undefined;
}

/** The maintainer a body names (one of maintainerId, maintainerTeamKey), checked: 400 naming the field when it names nobody. */
export async function maintainerProblems(db: Db | Trx, body: { maintainerId?: string; maintainerTeamKey?: string }): Promise<FieldError[]> {
  if (body.maintainerId !== undefined && body.maintainerTeamKey !== undefined) return [{ attribute: 'maintainerTeamKey', reason: 'give maintainerId or maintainerTeamKey, not both' }];
  if (body.maintainerId !== undefined && !(await findMember(db, body.maintainerId))) return [{ attribute: 'maintainerId', reason: `no member has the ID "${body.maintainerId}"` }];
  if (body.maintainerTeamKey !== undefined && !(await db.selectFrom('teams').select('key').where('key', '=', body.maintainerTeamKey).executeTakeFirst())) {
    return [{ attribute: 'maintainerTeamKey', reason: `there is no team "${body.maintainerTeamKey}"` }];
  }
  return [];
}

/** A new variation's first version, as a create body describes it: published. */
export function newVariation(body: AIConfigVariationPost, now: number): Variation {
  const { key, toolKeys: _toolKeys, ...fields } = body;
  return { id: uuid(), key, version: 1, createdAt: now, doc: { ...fields, model: fields.model ?? {}, state: 'published', publishedAt: now } };
}

/**
 * The variation's tools once `toolKeys` (tools by key, each at its newest version, as LaunchDarkly's spec says) is
 * applied: those `tools` names with their versions, then each key's tool at its newest. Without `toolKeys`, `tools` as
 * given (undefined: unchanged). A key the project has no tool of, or one `tools` already names, is a problem under
 * `prefix`.
 */
export async function resolveToolKeys(
  db: Db | Trx,
  projectId: string,
  body: { tools?: VariationTool[]; toolKeys?: string[] },
  prefix = '',
): Promise<{ tools: VariationTool[] | undefined; problems: FieldError[] }> {
  if (body.toolKeys === undefined) return { tools: body.tools, problems: [] };
  const keys = [...new Set(body.toolKeys)];
  const rows = keys.length === 0 ? [] : await db.selectFrom('ai_tools').select(['key', 'version']).where('project_id', '=', projectId).where('key', 'in', keys).execute();
  const newest = new Map(rows.map((row) => [row.key, row.version]));
  const tools = [...(body.tools ?? [])];
  const problems: FieldError[] = [];
  body.toolKeys.forEach((key, i) => {
    const version = newest.get(key);
    if (version === undefined) problems.push({ attribute: `${prefix}toolKeys[${i}]`, reason: `there is no AI tool "${key}" in this project` });
    else if (tools.some((tool) => tool.key === key)) problems.push({ attribute: `${prefix}toolKeys[${i}]`, reason: `tool "${key}" is already named${body.tools?.some((tool) => tool.key === key) ? ' in tools' : ''}` });
    else tools.push({ key, version });
  });
  return { tools, problems };
}

/**
 * What is wrong with the tools a variation pins that it did not pin before (`previous`): each must be a tool of the
 * project at one of its versions, and each tool is pinned once. A tool deleted since it was pinned stays pinned.
 */
export async function toolProblems(db: Db | Trx, projectId: string, tools: readonly VariationTool[] | undefined, previous: readonly VariationTool[] | undefined, prefix = ''): Promise<FieldError[]> {
  if (!tools || tools.length === 0) return [];
  const problems: FieldError[] = [];
  const pinned = (tool: VariationTool) => previous?.some((p) => p.key === tool.key && p.version === tool.version) ?? false;
  const keys = [...new Set(tools.filter((tool) => !pinned(tool)).map((tool) => tool.key))];
  const rows = keys.length === 0 ? [] : await db.selectFrom('ai_tools').select(['key', 'version']).where('project_id', '=', projectId).where('key', 'in', keys).execute();
  const newest = new Map(rows.map((row) => [row.key, row.version]));
  tools.forEach((tool, i) => {
    if (tools.findIndex((other) => other.key === tool.key) !== i) problems.push({ attribute: `${prefix}tools[${i}].key`, reason: `names tool "${tool.key}" more than once` });
    else if (pinned(tool)) return;
    else if (!newest.has(tool.key)) problems.push({ attribute: `${prefix}tools[${i}].key`, reason: `there is no AI tool "${tool.key}" in this project` });
    else if (tool.version > newest.get(tool.key)!) problems.push({ attribute: `${prefix}tools[${i}].version`, reason: `AI tool "${tool.key}" has no version ${tool.version} (its newest is ${newest.get(tool.key)})` });
  });
  return problems;
}
