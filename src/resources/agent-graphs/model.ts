// Agent graphs as stored: a project's directed graphs of AI Configs (beta). A graph is a name and description, a
// maintainer, and its topology: a root AI Config and the edges between AI Configs, each edge with its handoff
// options. The topology is set whole (root and edges together) or not at all. The request bodies, the lookups and
// the rules, pure but for the lookups.
import { Type, type Static } from '@sinclair/typebox';
import { notFound, type FieldError } from '../../http/errors.js';
import { Description, JsonObject, Key, Name } from '../../http/schemas.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { AgentGraphsTable } from '../../store/schema.js';
import type { Maintainer } from '../ai-tools/maintainer.js';

export type AgentGraphRow = AgentGraphsTable;

export interface AgentGraphEdge {
  key: string;
  sourceConfig: string;
  targetConfig: string;
  handoff?: Record<string, unknown>;
}

export interface AgentGraphDoc {
  name: string;
  description?: string;
  maintainer?: Maintainer;
  /** Absent for a graph created with metadata only: it then has no edges either. */
  rootConfigKey?: string;
  edges: AgentGraphEdge[];
}

/** Edges a graph may have: one for every pair of a few dozen AI Configs, and far more than any graph is drawn with. */
export const MAX_EDGES = 1000;

const Edge = Type.Object({ key: Key, sourceConfig: Key, targetConfig: Key, handoff: Type.Optional(JsonObject) });
const MEMBERS = {
  description: Type.Optional(Description),
  maintainerId: Type.Optional(Type.String()),
  maintainerTeamKey: Type.Optional(Type.String()),
  rootConfigKey: Type.Optional(Key),
  edges: Type.Optional(Type.Array(Edge, { maxItems: MAX_EDGES })),
};

export const AgentGraphPost = Type.Object({ key: Key, name: Name, ...MEMBERS });
export type AgentGraphPost = Static<typeof AgentGraphPost>;

/** Each member sent replaces the graph's; `rootConfigKey` and `edges` only together. */
export const AgentGraphPatch = Type.Object({ name: Type.Optional(Name), ...MEMBERS });
export type AgentGraphPatch = Static<typeof AgentGraphPatch>;

export const GRAPH_ACTIONS = { create: 'createAgentGraph', update: 'updateAgentGraph', delete: 'deleteAgentGraph' } as const;

export function graphDoc(row: Pick<AgentGraphRow, 'doc'>): AgentGraphDoc {
  return JSON.parse(row.doc) as AgentGraphDoc;
}

/** A topology as a body sends it: both members or neither. */
export interface Topology {
  rootConfigKey?: string;
  edges?: AgentGraphEdge[];
}

/**
 * Every problem with a topology a body sends, each naming its field: the root and the edges come together (an
 * empty list of edges is a graph of the root alone), and no two edges share a key. Cycles, an edge from a config to
 * itself and configs the root does not reach are allowed: LaunchDarkly leaves routing to the agents.
 */
export function topologyProblems(topology: Topology): FieldError[] {
  const { rootConfigKey, edges } = topology;
  if (rootConfigKey !== undefined && edges === undefined) return [{ attribute: 'edges', reason: 'must be present with rootConfigKey: the two are set together ([] for a graph of the root alone)' }];
  if (edges !== undefined && rootConfigKey === undefined) return [{ attribute: 'rootConfigKey', reason: 'must be present with edges: the two are set together' }];
  const first = new Map<string, number>();
  const problems: FieldError[] = [];
  (edges ?? []).forEach((edge, i) => {
    const earlier = first.get(edge.key);
    if (earlier === undefined) first.set(edge.key, i);
    else problems.push({ attribute: `edges[${i}].key`, reason: `"${edge.key}" is already the key of edges[${earlier}]: each edge of a graph has its own key` });
  });
  return problems;
}

/** A place in a body that names an AI Config: the field (for a 400 naming it) and the config's key. */
export interface ConfigReference {
  attribute: string;
  configKey: string;
}

/** Every AI Config a topology names, with where: the root, then each edge's source and target. */
export function configReferences(topology: Topology): ConfigReference[] {
  const references: ConfigReference[] = topology.rootConfigKey !== undefined ? [{ attribute: 'rootConfigKey', configKey: topology.rootConfigKey }] : [];
  (topology.edges ?? []).forEach((edge, i) => {
    references.push({ attribute: `edges[${i}].sourceConfig`, configKey: edge.sourceConfig }, { attribute: `edges[${i}].targetConfig`, configKey: edge.targetConfig });
  });
  return references;
}

/**
 * The references to AI Configs the project does not have, as 400s naming their field: a graph's nodes are the
 * project's AI Configs (the AI SDKs resolve each node by its config's key), so a graph naming one that does not exist
 * could never run. One query for all the keys; each missing key is named once, at its first place.
 */
export async function unknownConfigReferences(db: Db | Trx, projectId: string, references: readonly ConfigReference[]): Promise<FieldError[]> {
  if (references.length === 0) return [];
  const keys = [...new Set(references.map((reference) => reference.configKey))];
  const rows = await db.selectFrom('ai_configs').select('key').where('project_id', '=', projectId).where('key', 'in', keys).execute();
  const named = new Set(rows.map((row) => row.key));
  const problems: FieldError[] = [];
  for (const { attribute, configKey } of references) {
    if (named.has(configKey)) continue;
    named.add(configKey);
    problems.push({ attribute, reason: `"${configKey}" is not an AI Config of this project` });
  }
  return problems;
}

/** The keys of the project's graphs that name the AI Config as a node (its root or an edge's end), in key order. */
export async function graphsNaming(db: Db | Trx, projectId: string, configKey: string): Promise<string[]> {
  const rows = await db.selectFrom('agent_graphs').select(['key', 'doc']).where('project_id', '=', projectId).orderBy('key').execute();
  return rows.filter((row) => configReferences(graphDoc(row)).some((reference) => reference.configKey === configKey)).map((row) => row.key);
}

/** A graph's doc from its members (the edges as sent, in order, with only an edge's own members). */
export function graphDocOf(members: { name: string; description?: string; maintainer?: Maintainer; rootConfigKey?: string; edges?: readonly AgentGraphEdge[] }): AgentGraphDoc {
  return {
    name: members.name,
    ...(members.description !== undefined ? { description: members.description } : {}),
    ...(members.maintainer ? { maintainer: members.maintainer } : {}),
    ...(members.rootConfigKey !== undefined ? { rootConfigKey: members.rootConfigKey } : {}),
    edges: (members.edges ?? []).map((edge) => ({
      key: edge.key,
      sourceConfig: edge.sourceConfig,
      targetConfig: edge.targetConfig,
      ...(edge.handoff !== undefined ? { handoff: edge.handoff } : {}),
    })),
  };
}

/** A graph of the project by key (404 naming it); locked until commit on PostgreSQL when `lock` names the store. */
export async function findGraph(db: Db | Trx, projectId: string, key: string, lock?: Pick<Store, 'kind'>): Promise<AgentGraphRow> {
  let query = db.selectFrom('agent_graphs').selectAll().where('project_id', '=', projectId).where('key', '=', key);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Agent graph "${key}"`);
  return row;
}
