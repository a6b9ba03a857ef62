// The CustomWorkflowOutput, CustomWorkflowsListingOutput, WorkflowTemplateOutput and WorkflowTemplatesListingOutputRep
// representations: the only code that builds workflow and template JSON.
import { link, type Link } from '../../http/links.js';
import { approvalDoc, shownReview, type RequestRow } from '../approvals/model.js';
import type { FlagPlace } from '../flags/inEnvironment.js';
import type { ScheduledChangeRow } from '../scheduled-changes/model.js';
import { conflictsOf, type ConditionSpec, type Execution, type WorkflowCondition, type WorkflowDoc, type WorkflowRow } from './model.js';
import { templateDoc, TEMPLATES_URL, type TemplateParameter, type TemplateRow, type TemplateStage } from './templates.js';

export function workflowsPath(place: FlagPlace): string {
  return `/api/v2/projects/${place.projectKey}/flags/${place.flagKey}/environments/${place.environmentKey}/workflows`;
}

/** What a workflow is shown with: its flag's approval requests, scheduled changes and workflows in the environment. */
export interface WorkflowContext {
  place: FlagPlace;
  requests: ReadonlyMap<string, RequestRow>;
  schedules: readonly ScheduledChangeRow[];
  workflows: readonly WorkflowRow[];
}

function execution(run: Execution): Record<string, unknown> {
  return { status: run.status, ...(run.stopDate !== undefined ? { stopDate: run.stopDate } : {}) };
}

/** A condition (ConditionOutput): a schedule shows when it is due, an approval its request's reviews. */
function representCondition(condition: ConditionSpec & Partial<WorkflowCondition>, requests: ReadonlyMap<string, RequestRow>): Record<string, unknown> {
  const common = { _id: condition._id, kind: condition.kind, _execution: execution(condition.execution ?? { status: 'pending' }) };
  if (condition.kind === 'ld-approval') {
    const request = condition.approvalRequestId !== undefined ? requests.get(condition.approvalRequestId) : undefined;
    return {
      ...common,
      description: condition.description,
      notifyMemberIds: condition.notifyMemberIds,
      allReviews: request ? approvalDoc(request).allReviews.map(shownReview) : [],
      reviewStatus: request?.review_status ?? 'pending',
      ...(condition.appliedDate !== undefined ? { appliedDate: condition.appliedDate } : {}),
    };
  }
  const executionDate = condition.scheduleKind === 'absolute' ? condition.executionDate : condition.dueDate;
  return {
    ...common,
    ...(condition.scheduleKind !== undefined ? { scheduleKind: condition.scheduleKind } : {}),
    ...(executionDate !== undefined ? { executionDate } : {}),
    ...(condition.waitDuration !== undefined ? { waitDuration: condition.waitDuration } : {}),
    ...(condition.waitDurationUnit !== undefined ? { waitDurationUnit: condition.waitDurationUnit } : {}),
    ...(condition.executeNow ? { executeNow: true } : {}),
    // What only approvals have, empty: the spec requires them of every condition.
    description: '',
    notifyMemberIds: [],
    allReviews: [],
    reviewStatus: '',
  };
}

/** A stage (StageOutput); a template's, never run, is pending. */
function representStage(stage: TemplateStage | WorkflowDoc['stages'][number], requests: ReadonlyMap<string, RequestRow>): Record<string, unknown> {
  return {
    _id: stage._id,
    ...(stage.name !== undefined ? { name: stage.name } : {}),
    conditions: stage.conditions.map((c) => representCondition(c, requests)),
    action: { kind: 'patch', instructions: stage.instructions },
    _execution: execution('execution' in stage ? stage.execution : { status: 'pending' }),
  };
}

/** A workflow, with its conflicts among the flag's other changes to come; `meta` when it is made from a template. */
export function representWorkflow(id: string, createdAt: number, doc: WorkflowDoc, context: WorkflowContext, meta?: { parameters: TemplateParameter[] }): Record<string, unknown> {
  return {
    _id: id,
    _version: doc.version,
    _conflicts: conflictsOf(id, doc, context.schedules, context.workflows),
    _creationDate: createdAt,
    _maintainerId: doc.maintainerId,
    _links: { parent: link(workflowsPath(context.place)), self: link(`${workflowsPath(context.place)}/${id}`) },
    name: doc.name,
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    kind: 'custom',
    stages: doc.stages.map((stage) => representStage(stage, context.requests)),
    _execution: execution(doc.execution),
    ...(doc.templateKey !== undefined ? { templateKey: doc.templateKey } : {}),
    ...(meta ? { meta } : {}),
  };
}

export function representWorkflows(items: Record<string, unknown>[], totalCount: number, links: Record<string, Link>): Record<string, unknown> {
  return { items, totalCount, _links: links };
}

/** A template; in `summary`, without its stages. */
export function representTemplate(row: TemplateRow, summary = false): Record<string, unknown> {
  const doc = templateDoc(row);
  return {
    _id: row.id,
    _key: row.key,
    ...(doc.name !== undefined ? { name: doc.name } : {}),
    _creationDate: Number(row.created_at),
    _ownerId: doc.ownerId,
    _maintainerId: doc.maintainerId,
    _links: { parent: link(TEMPLATES_URL), self: link(`${TEMPLATES_URL}/${row.key}`) },
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    ...(summary ? {} : { stages: doc.stages.map((stage) => representStage(stage, new Map())) }),
  };
}

export function representTemplates(rows: readonly TemplateRow[], summary: boolean): Record<string, unknown> {
  return { items: rows.map((row) => representTemplate(row, summary)) };
}
