// AI model configs: the models a project's AI Config variations may name (`modelConfigKey`), each with its provider
// model id, provider, default parameters and token costs. A project's own are stored; the global ones (LaunchDarkly's,
// here a small built-in catalog) are the same in every project and read-only. Either may be restricted in a project.
import { Type, type Static } from '@sinclair/typebox';
import { notFound } from '../../http/errors.js';
import { Key, Name, Tags } from '../../http/schemas.js';
import type { Db, Trx } from '../../store/db.js';
import type { AiModelConfigsTable } from '../../store/schema.js';

export type ModelConfigRow = AiModelConfigsTable;

export interface ModelConfigDoc {
  name: string;
  id: string;
  icon?: string;
  provider?: string;
  params?: Record<string, unknown>;
  customParams?: Record<string, unknown>;
  tags: string[];
  version: number;
  costPerInputToken?: number;
  costPerOutputToken?: number;
  /** What a cached input token costs (2026-07): shown; no spend uses it, the AI SDKs reporting no cached tokens. */
  costPerCachedInputToken?: number;
}

/** A model config as every read shows it: its key, whether it is a global one, and the document. */
export interface ModelConfig extends ModelConfigDoc {
  key: string;
  global: boolean;
}

export const MODEL_CONFIGS_URL = '/api/v2/projects/:projectKey/ai-configs/model-configs';

/** `restricted` is the restricted list's own path segment beside `{modelConfigKey}`: no model config may take it. */
export const RESERVED_MODEL_CONFIG_KEYS = ['restricted'];

const Params = Type.Unsafe<Record<string, unknown>>({ type: 'object' });
const Cost = Type.Number({ minimum: 0 });

export const ModelConfigPost = Type.Object(
  {
    name: Name,
    key: Key,
    id: Type.String({ minLength: 1, maxLength: 1024 }),
    icon: Type.Optional(Type.String({ maxLength: 1024 })),
    provider: Type.Optional(Type.String({ maxLength: 1024 })),
    params: Type.Optional(Params),
    customParams: Type.Optional(Params),
    tags: Type.Optional(Tags),
    costPerInputToken: Type.Optional(Cost),
    costPerOutputToken: Type.Optional(Cost),
    costPerCachedInputToken: Type.Optional(Cost),
  },
  { additionalProperties: false },
);
export type ModelConfigPost = Static<typeof ModelConfigPost>;

export const RestrictedModelsRequest = Type.Object({ keys: Type.Array(Key, { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false });
export type RestrictedModelsRequest = Static<typeof RestrictedModelsRequest>;

const global = (provider: string, id: string, name: string, costs: { input: number; output: number }): ModelConfig => ({
  key: `${provider}.${id}`,
  name,
  id,
  provider,
  global: true,
  tags: [],
  version: 1,
  costPerInputToken: costs.input,
  costPerOutputToken: costs.output,
});

/**
 * The global model configs every project has, keyed `Provider.model-id` as LaunchDarkly's are. A starter catalog,
 * not LaunchDarkly's list: costs are the providers' list prices per token (USD) when the catalog was written.
 */
export const GLOBAL_MODEL_CONFIGS: readonly ModelConfig[] = [
  global('OpenAI', 'gpt-4o', 'GPT-4o', { input: 0.0000025, output: 0.00001 }),
  global('OpenAI', 'gpt-4o-mini', 'GPT-4o mini', { input: 0.00000015, output: 0.0000006 }),
  global('OpenAI', 'gpt-4.1', 'GPT-4.1', { input: 0.000002, output: 0.000008 }),
  global('Anthropic', 'claude-3-5-sonnet-latest', 'Claude 3.5 Sonnet', { input: 0.000003, output: 0.000015 }),
  global('Anthropic', 'claude-3-5-haiku-latest', 'Claude 3.5 Haiku', { input: 0.0000008, output: 0.000004 }),
  global('Google', 'gemini-1.5-pro', 'Gemini 1.5 Pro', { input: 0.00000125, output: 0.000005 }),
];

export function globalModelConfig(key: string): ModelConfig | undefined {
  return GLOBAL_MODEL_CONFIGS.find((config) => config.key === key);
}

export function modelConfigOf(row: ModelConfigRow): ModelConfig {
  return { ...(JSON.parse(row.doc) as ModelConfigDoc), key: row.key, global: false };
}

/** The project's own model configs, oldest first. */
export async function projectModelConfigs(db: Db | Trx, projectId: string): Promise<ModelConfigRow[]> {
  return db.selectFrom('ai_model_configs').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('id').execute();
}

/** The project's model config by key, else the global one, else undefined. */
export async function lookUpModelConfig(db: Db | Trx, projectId: string, key: string): Promise<ModelConfig | undefined> {
  const row = await db.selectFrom('ai_model_configs').selectAll().where('project_id', '=', projectId).where('key', '=', key).executeTakeFirst();
  return row ? modelConfigOf(row) : globalModelConfig(key);
}

/** Like lookUpModelConfig, or a 404 naming it. */
export async function findModelConfig(db: Db | Trx, project: { id: string; key: string }, key: string): Promise<ModelConfig> {
  const found = await lookUpModelConfig(db, project.id, key);
  if (!found) throw notFound(`Model config "${key}" in project "${project.key}"`);
  return found;
}

/** The model config keys the project restricts. */
export async function restrictedKeys(db: Db | Trx, projectId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('ai_restricted_models').select('key').where('project_id', '=', projectId).execute();
  return new Set(rows.map((row) => row.key));
}
