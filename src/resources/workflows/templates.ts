// Workflow templates: stages saved (from a workflow, or as given for a flag in an environment) to start workflows of
// any flag from. What in them is particular to the flag and environment they were made for (a variation, a rule, a
// clause, a prerequisite, a segment, a date) is a parameter: a workflow made from the template takes each
// parameter's default (a variation carried to the new flag by its value, where one variation there has it) unless
// the request overrides it, and is made only where every parameter is valid for its flag and environment.
import { notFound, validationFailed, type FieldError } from '../../http/errors.js';
import { applyJsonPatch, deepEqual } from '../../http/patch/jsonPatch.js';
import type { Db, Trx } from '../../store/db.js';
import { objectId } from '../../store/ids.js';
import type { WorkflowTemplatesTable } from '../../store/schema.js';
import type { AuditEntry } from '../audit-log/record.js';
import type { FlagInEnvironment, FlagPlace } from '../flags/inEnvironment.js';
import { loadFlag, type Clause, type Variation } from '../flags/model.js';
import type { ConditionSpec, StageSpec, WorkflowDoc } from './model.js';

export type TemplateRow = WorkflowTemplatesTable;

export const TEMPLATES_URL = '/api/v2/templates';

/** A stage instruction of a template, with the _id its parameters name it by. */
export type TemplateInstruction = Record<string, unknown> & { _id: string };

export interface TemplateStage extends Omit<StageSpec, 'instructions'> {
  instructions: TemplateInstruction[];
}

/** LaunchDarkly's ParameterDefault. */
export interface ParameterDefault {
  value: unknown;
  booleanVariationValue?: boolean;
  ruleClause?: { attribute: string; op: string; negate: boolean };
}

/** LaunchDarkly's WorkflowTemplateParameter: a condition's or instruction's member, by the _id of that and a pointer in it. */
export interface TemplateParameter {
  _id: string;
  path: string;
  default: ParameterDefault;
  valid?: boolean;
}

export interface TemplateDoc {
  name?: string;
  description?: string;
  ownerId: string;
  maintainerId: string;
  /** The flag and environment it was made for. */
  source: FlagPlace;
  /** That flag's variations then: a variation is carried to another flag by its value. */
  sourceVariations: Variation[];
  stages: TemplateStage[];
  parameters: TemplateParameter[];
}

export function templateDoc(row: Pick<TemplateRow, 'doc'>): TemplateDoc {
  return JSON.parse(row.doc) as TemplateDoc;
}

/** The audit entry of a template's creation or deletion: the account's, named by its key. */
export function templateAudit(row: TemplateRow, action: string, verb: string, versions: { before?: unknown; after?: unknown }): AuditEntry {
  const doc = templateDoc(row);
  return { kind: 'template', resource: `template/${row.key}`, action, name: doc.name ?? row.key, description: `${verb} the workflow template ${row.key}`, projectKey: doc.source.projectKey, ...versions };
}

/** A template by key (404 naming it when there is none). */
export async function findTemplate(db: Db | Trx, key: string): Promise<TemplateRow> {
  const row = await db.selectFrom('workflow_templates').selectAll().where('key', '=', key).executeTakeFirst();
  if (!row) throw notFound(`Workflow template "${key}"`);
  return row;
}

/** What a template keeps of a condition: what was asked, not how it ran. */
function conditionSpec(condition: ConditionSpec, now: number): ConditionSpec {
  if (condition.kind === 'ld-approval') return { _id: objectId(now), kind: 'ld-approval', description: condition.description, notifyMemberIds: [...condition.notifyMemberIds] };
  const { kind, scheduleKind, executionDate, waitDuration, waitDurationUnit, executeNow } = condition;
  return JSON.parse(JSON.stringify({ _id: objectId(now), kind, scheduleKind, executionDate, waitDuration, waitDurationUnit, executeNow })) as ConditionSpec;
}

/** Stages as a template keeps them: new ids for each stage, condition and instruction. */
export function templateStages(stages: readonly (StageSpec | WorkflowDoc['stages'][number])[], now: number): TemplateStage[] {
  return stages.map((stage) => ({
    _id: objectId(now),
    ...(stage.name !== undefined ? { name: stage.name } : {}),
    executeConditionsInSequence: stage.executeConditionsInSequence,
    conditions: stage.conditions.map((c) => conditionSpec(c, now)),
    instructions: stage.instructions.map((instruction) => ({ _id: objectId(now), ...instruction })),
  }));
}

const PREREQUISITE_KINDS = new Set(['addPrerequisite', 'updatePrerequisite', 'removePrerequisite']);
/** The members of an instruction that name something of its flag or environment. */
const PARTICULAR = ['variationId', 'rolloutWeights', 'ruleId', 'beforeRuleId', 'ruleIds', 'clauseId', 'clauseIds', 'key'];

/**
 * A template's parameters: each member of an instruction that names a variation, a rollout over variations, a rule,
 * a clause or a prerequisite flag; each segmentMatch clause's segment keys; each absolute schedule's date. A
 * variation's default says its value too where the flag is boolean (booleanVariationValue).
 */
export function templateParameters(stages: readonly TemplateStage[], sourceVariations: readonly Variation[]): TemplateParameter[] {
  const boolean = sourceVariations.length === 2 && sourceVariations.every((v) => typeof v.value === 'boolean');
  return stages.flatMap((stage) => [
    ...stage.conditions.flatMap((c) => (c.kind === 'schedule' && c.scheduleKind === 'absolute' ? [{ _id: c._id, path: '/executionDate', default: { value: c.executionDate } }] : [])),
    ...stage.instructions.flatMap((instruction) => {
      const members: TemplateParameter[] = PARTICULAR.filter((member) => instruction[member] !== undefined && instruction[member] !== null).map((member) => {
        const value = instruction[member];
        const variation = member === 'variationId' && boolean && !PREREQUISITE_KINDS.has(String(instruction.kind)) ? sourceVariations.find((v) => v._id === value) : undefined;
        return { _id: instruction._id, path: `/${member}`, default: { value, ...(variation ? { booleanVariationValue: variation.value as boolean } : {}) } };
      });
      const clauses = Array.isArray(instruction.clauses) ? (instruction.clauses as Clause[]) : [];
      const segments = clauses.flatMap((clause, i) =>
        clause.op === 'segmentMatch' ? [{ _id: instruction._id, path: `/clauses/${i}/values`, default: { value: clause.values, ruleClause: { attribute: clause.attribute, op: clause.op, negate: clause.negate === true } } }] : [],
      );
      return [...members, ...segments];
    }),
  ]);
}

/** What the target of a workflow made from a template has, that parameters name. */
export interface TargetFacts {
  flagKey: string;
  variations: Variation[];
  ruleIds: Set<string>;
  clauseIds: Set<string>;
  segmentKeys: Set<string>;
  /** The project's other flags a prerequisite parameter names, by key, with their variations' ids. */
  flags: Map<string, string[]>;
  now: number;
}

/** The variation of `variations` with the value `source`'s variation `id` had, if exactly one has it. */
function carried(id: unknown, sourceVariations: readonly Variation[], variations: readonly Variation[]): unknown {
  const from = sourceVariations.find((v) => v._id === id);
  if (!from) return id;
  const matches = variations.filter((v) => deepEqual(v.value, from.value));
  return matches.length === 1 ? matches[0]._id : id;
}

/** Each parameter's value for a new workflow: an override (`${_id} ${path}`), else its default carried to the target flag. */
function parameterValue(template: TemplateDoc, parameter: TemplateParameter, kindOf: Map<string, string>, variations: readonly Variation[], overrides: Map<string, unknown>): unknown {
  const key = `${parameter._id} ${parameter.path}`;
  if (overrides.has(key)) return overrides.get(key);
  const value = parameter.default.value;
  if (PREREQUISITE_KINDS.has(kindOf.get(parameter._id) ?? '')) return value;
  if (parameter.path === '/variationId') return carried(value, template.sourceVariations, variations);
  if (parameter.path === '/rolloutWeights' && value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([id, weight]) => [carried(id, template.sourceVariations, variations), weight]));
  }
  return value;
}

/** Whether a parameter's value fits the target flag and environment. */
function isValid(parameter: TemplateParameter, value: unknown, instruction: Record<string, unknown> | undefined, facts: TargetFacts): boolean {
  const ids = (list: unknown, known: (id: string) => boolean) => Array.isArray(list) && list.every((id) => typeof id === 'string' && known(id));
  const variation = (id: unknown) => facts.variations.some((v) => v._id === id);
  if (instruction && PREREQUISITE_KINDS.has(String(instruction.kind))) {
    const key = instruction.key;
    if (parameter.path === '/key') return typeof key === 'string' && key !== facts.flagKey && facts.flags.has(key);
    return typeof key === 'string' && (facts.flags.get(key) ?? []).includes(value as string);
  }
  switch (parameter.path) {
    case '/executionDate':
      return typeof value === 'number' && value > facts.now;
    case '/variationId':
      return variation(value);
    case '/rolloutWeights':
      return value !== null && typeof value === 'object' && Object.keys(value).every(variation);
    case '/ruleId':
    case '/beforeRuleId':
      return typeof value === 'string' && facts.ruleIds.has(value);
    case '/ruleIds':
      return ids(value, (id) => facts.ruleIds.has(id));
    case '/clauseId':
      return typeof value === 'string' && facts.clauseIds.has(value);
    case '/clauseIds':
      return ids(value, (id) => facts.clauseIds.has(id));
    default:
      // A segmentMatch clause's values: segments of the environment.
      return ids(value, (key) => facts.segmentKeys.has(key));
  }
}

/** The body's `parameters`: [{_id, path, default: {value}}], each one of the template's; by `${_id} ${path}`. */
export function readOverrides(value: unknown, template: TemplateDoc): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value === undefined || value === null) return out;
  if (!Array.isArray(value)) throw validationFailed([{ attribute: 'parameters', reason: 'must be an array of {"_id": ..., "path": ..., "default": {"value": ...}}' }]);
  const errors: FieldError[] = [];
  value.forEach((item, i) => {
    const at = `parameters[${i}]`;
    const p = item as Record<string, unknown> | null;
    const value = p && typeof p === 'object' ? (p.default as Record<string, unknown> | undefined) : undefined;
    if (!p || typeof p !== 'object' || typeof p._id !== 'string' || typeof p.path !== 'string' || !value || typeof value !== 'object' || !Object.hasOwn(value, 'value')) {
      errors.push({ attribute: at, reason: 'must be {"_id": ..., "path": ..., "default": {"value": ...}}' });
    } else if (!template.parameters.some((t) => t._id === p._id && t.path === p.path)) {
      errors.push({ attribute: at, reason: `the template has no parameter with _id "${p._id}" and path "${p.path}"` });
    } else out.set(`${p._id} ${p.path}`, value.value);
  });
  if (errors.length > 0) throw validationFailed(errors);
  return out;
}

/** A workflow's stages from a template: each parameter set to its value, as a client would send them. */
export interface Instantiated {
  stages: Record<string, unknown>[];
  parameters: TemplateParameter[];
}

/**
 * The template's stages for the target (each parameter's value set where it points), and its parameters as `meta`
 * shows them: the value taken as the default, and whether it is valid there. `load` finds the facts of the target.
 */
export async function instantiate(template: TemplateDoc, target: Pick<TargetFacts, 'variations'>, overrides: Map<string, unknown>, load: (prerequisiteKeys: string[]) => Promise<TargetFacts>): Promise<Instantiated> {
  const kindOf = new Map(template.stages.flatMap((s) => s.instructions.map((i) => [i._id, String(i.kind)] as const)));
  const values = template.parameters.map((p) => parameterValue(template, p, kindOf, target.variations, overrides));
  const set = <T extends { _id: string }>(item: T): T =>
    template.parameters.reduce<T>((out, p, i) => (p._id === item._id ? applyJsonPatch(out, [{ op: 'replace', path: p.path, value: values[i] }]) : out), item);
  const stages = template.stages.map((stage) => ({
    ...(stage.name !== undefined ? { name: stage.name } : {}),
    executeConditionsInSequence: stage.executeConditionsInSequence,
    conditions: stage.conditions.map((condition) => {
      const { _id, ...rest } = set(condition);
      return rest.kind === 'ld-approval' ? { kind: rest.kind, description: rest.description, notifyMemberIds: rest.notifyMemberIds } : rest;
    }),
    action: { instructions: stage.instructions.map((instruction) => set(instruction)) },
  }));
  const instructions = new Map(stages.flatMap((s) => s.action.instructions.map((i) => [i._id, i] as const)));
  const facts = await load([...new Set([...instructions.values()].filter((i) => PREREQUISITE_KINDS.has(String(i.kind)) && typeof i.key === 'string').map((i) => i.key as string))]);
  const parameters = template.parameters.map((p, i) => ({ _id: p._id, path: p.path, default: { ...p.default, value: values[i] }, valid: isValid(p, values[i], instructions.get(p._id), facts) }));
  return { stages: stages.map((stage) => ({ ...stage, action: { instructions: stage.action.instructions.map(({ _id, ...instruction }) => instruction) } })), parameters };
}

/** The facts of the flag and environment a workflow from a template is for. */
export async function targetFacts(db: Db | Trx, scope: FlagInEnvironment, prerequisiteKeys: string[], now: number): Promise<TargetFacts> {
  const config = scope.flag.configs.get(scope.environment.id);
  const rules = config?.rules ?? [];
  const segments = await db.selectFrom('segments').select('key').where('environment_id', '=', scope.environment.id).execute();
  const flags = new Map<string, string[]>();
  for (const key of prerequisiteKeys) {
    const flag = await loadFlag(db, scope.project.id, key);
    if (flag) flags.set(key, flag.doc.variations.map((v) => v._id));
  }
  return {
    flagKey: scope.flag.row.key,
    variations: scope.flag.doc.variations,
    ruleIds: new Set(rules.map((r) => r._id)),
    clauseIds: new Set(rules.flatMap((r) => r.clauses.map((c) => c._id))),
    segmentKeys: new Set(segments.map((s) => s.key)),
    flags,
    now,
  };
}
