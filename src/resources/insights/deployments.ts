// Deployments as stored and shown: what CI's deployment events (started, finished, failed, custom) make of a
// deployment of an application version to an environment, the pull requests its metadata names, and the DeploymentRep
// with its counts, lead time and expansions: the only code that builds deployment JSON.
import { notFound, validationFailed, type FieldError } from '../../http/errors.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { InsightDeploymentsTable } from '../../store/schema.js';
import { derivedUuid } from './query.js';

export type DeploymentRow = InsightDeploymentsTable;
export const DEPLOYMENT_STATUSES = ['started', 'finished', 'failed'] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];
/** A first deployment of a version, the same version again, or an earlier version after a later one. */
export const DEPLOYMENT_KINDS = ['new', 'redeployment', 'rollback'] as const;
export type DeploymentKind = (typeof DEPLOYMENT_KINDS)[number];
export const EVENT_TYPES = ['started', 'failed', 'finished', 'custom'] as const;

export interface FlagReference {
  projectKey: string;
  flagKey: string;
  referencesAdded: number;
  referencesRemoved: number;
}

/** A pull request as a deployment event's `deploymentMetadata.pullRequests` names it (PullRequestRep's fields). */
export interface PullRequestInput {
  externalId: string;
  title: string;
  status: string;
  author: string;
  createTime: number;
  mergeTime?: number;
  mergeCommitKey?: string;
  baseCommitKey: string;
  headCommitKey: string;
  filesChanged: number;
  linesAdded: number;
  linesDeleted: number;
  url: string;
  /** When the pull request's first commit was made: the start of its coding time. */
  firstCommitTime?: number;
  flagReferences: FlagReference[];
}

export interface DeploymentEventRecord {
  eventType: (typeof EVENT_TYPES)[number];
  eventTime: number;
  eventMetadata?: Record<string, unknown>;
}

export interface DeploymentDoc {
  projectKey: string;
  environmentKey: string;
  applicationName: string;
  applicationKind: string;
  versionName: string;
  kind: DeploymentKind;
  endedAt?: number;
  active: boolean;
  archived: boolean;
  metadata: Record<string, unknown>;
  pullRequests: PullRequestInput[];
  events: DeploymentEventRecord[];
}

export function deploymentDoc(row: Pick<DeploymentRow, 'doc'>): DeploymentDoc {
  return JSON.parse(row.doc) as DeploymentDoc;
}

const SAFE = Number.MAX_SAFE_INTEGER;
const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The pull requests of `deploymentMetadata.pullRequests`: objects with an `externalId` (or `number`), a title, an author
 * and a createTime; every problem a 400 naming the member. iterlab has no GitHub connection: what a pull request is
 * comes only from here.
 */
export function readPullRequests(metadata: Record<string, unknown> | undefined, projectKey: string): PullRequestInput[] {
  const given = metadata?.pullRequests;
  if (given === undefined) return [];
  const at = 'deploymentMetadata.pullRequests';
  if (!Array.isArray(given)) throw validationFailed([{ attribute: at, reason: 'must be an array of pull requests' }]);
  const errors: FieldError[] = [];
  const out: PullRequestInput[] = [];
  given.forEach((pr, i) => {
    const where = `${at}[${i}]`;
    if (!isObject(pr)) return void errors.push({ attribute: where, reason: 'must be an object' });
    const text = (name: string, required: boolean): string | undefined => {
      const value = pr[name];
      if (value === undefined || value === null) {
        if (required) errors.push({ attribute: `${where}.${name}`, reason: 'is required' });
        return undefined;
      }
      if (typeof value === 'number' && name === 'externalId') return String(value);
      if (typeof value !== 'string' || value.length > 2048) errors.push({ attribute: `${where}.${name}`, reason: 'must be a string of at most 2048 characters' });
      return typeof value === 'string' ? value : undefined;
    };
    const count = (name: string, required = false): number | undefined => {
      const value = pr[name];
      if (value === undefined || value === null) {
        if (required) errors.push({ attribute: `${where}.${name}`, reason: 'is required' });
        return undefined;
      }
      if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > SAFE) errors.push({ attribute: `${where}.${name}`, reason: 'must be a whole number, 0 or more' });
      return value as number;
    };
    const externalId = pr.externalId === undefined && pr.number !== undefined ? String(pr.number) : text('externalId', true);
    const references = pr.flagReferences;
    const flagReferences: FlagReference[] = [];
    if (references !== undefined) {
      if (!Array.isArray(references)) errors.push({ attribute: `${where}.flagReferences`, reason: 'must be an array' });
      else
        references.forEach((ref, j) => {
          const refAt = `${where}.flagReferences[${j}]`;
          if (!isObject(ref) || typeof ref.flagKey !== 'string' || ref.flagKey === '') return void errors.push({ attribute: `${refAt}.flagKey`, reason: 'is required' });
          const n = (name: string) => (ref[name] === undefined ? 0 : Number.isInteger(ref[name]) && (ref[name] as number) >= 0 ? (ref[name] as number) : (errors.push({ attribute: `${refAt}.${name}`, reason: 'must be a whole number, 0 or more' }), 0));
          flagReferences.push({ projectKey: typeof ref.projectKey === 'string' ? ref.projectKey : projectKey, flagKey: ref.flagKey, referencesAdded: n('referencesAdded'), referencesRemoved: n('referencesRemoved') });
        });
    }
    const read: PullRequestInput = {
      externalId: externalId ?? '',
      title: text('title', true) ?? '',
      status: text('status', false) ?? 'merged',
      author: text('author', true) ?? '',
      createTime: count('createTime', true) ?? 0,
      baseCommitKey: text('baseCommitKey', false) ?? '',
      headCommitKey: text('headCommitKey', false) ?? '',
      filesChanged: count('filesChanged') ?? 0,
      linesAdded: count('linesAdded') ?? 0,
      linesDeleted: count('linesDeleted') ?? 0,
      url: text('url', false) ?? '',
      flagReferences,
    };
    const mergeTime = count('mergeTime');
    const firstCommitTime = count('firstCommitTime');
    const mergeCommitKey = text('mergeCommitKey', false);
    if (mergeTime !== undefined) read.mergeTime = mergeTime;
    if (firstCommitTime !== undefined) read.firstCommitTime = firstCommitTime;
    if (mergeCommitKey !== undefined) read.mergeCommitKey = mergeCommitKey;
    out.push(read);
  });
  if (errors.length > 0) throw validationFailed(errors);
  return out;
}

/** Pull requests known before, updated by those sent now (the same externalId is the same pull request). */
export function mergePullRequests(known: readonly PullRequestInput[], sent: readonly PullRequestInput[]): PullRequestInput[] {
  const byId = new Map(known.map((pr) => [pr.externalId, pr]));
  for (const pr of sent) byId.set(pr.externalId, pr);
  return [...byId.values()];
}

/** A deployment by id (404 naming it); locked until commit on PostgreSQL when `lock` names the store. */
export async function findDeployment(db: Db | Trx, id: string, lock?: Pick<Store, 'kind'>): Promise<DeploymentRow> {
  let query = db.selectFrom('insight_deployments').selectAll().where('id', '=', id);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Deployment "${id}"`);
  return row;
}

/** The environment's deployments started in the window (of these applications when named), newest first. */
export async function deploymentsIn(db: Db | Trx, environmentId: string, window: { from: number; to: number }, applicationKeys?: readonly string[]): Promise<DeploymentRow[]> {
  let query = db.selectFrom('insight_deployments').selectAll().where('environment_id', '=', environmentId).where('started_at', '>=', window.from).where('started_at', '<=', window.to);
  if (applicationKeys) query = query.where('application_key', 'in', [...applicationKeys]);
  const rows = await query.execute();
  return rows.sort((a, b) => Number(b.started_at) - Number(a.started_at) || (a.id < b.id ? -1 : 1));
}

/** Lead time stages of one deployment: coding (first commit to pull request), review (to merge), wait (to deploy start), deploy. */
export interface LeadTimeStages {
  codingDurationMs: number;
  reviewDurationMs?: number;
  waitDurationMs?: number;
  deployDurationMs?: number;
  totalLeadTimeMs?: number;
}

const avg = (values: number[]) => (values.length === 0 ? undefined : Math.round(values.reduce((a, b) => a + b, 0) / values.length));

/** A pull request's stages in a deployment: coding from its first commit (else 0), review to merge, wait to this deployment's start. */
export function pullRequestStages(pr: PullRequestInput, row: DeploymentRow, doc: DeploymentDoc): LeadTimeStages {
  const started = Number(row.started_at);
  const coding = pr.firstCommitTime !== undefined ? Math.max(0, pr.createTime - pr.firstCommitTime) : 0;
  const stages: LeadTimeStages = { codingDurationMs: coding };
  if (pr.mergeTime !== undefined) {
    stages.reviewDurationMs = Math.max(0, pr.mergeTime - pr.createTime);
    stages.waitDurationMs = Math.max(0, started - pr.mergeTime);
  }
  if (doc.endedAt !== undefined) {
    stages.deployDurationMs = Math.max(0, doc.endedAt - started);
    stages.totalLeadTimeMs = Math.max(0, doc.endedAt - (pr.firstCommitTime ?? pr.createTime));
  }
  return stages;
}

/** The deployment's stages: the average of its pull requests' (LeadTimeStagesRep); undefined without pull requests. */
export function deploymentStages(row: DeploymentRow, doc: DeploymentDoc): LeadTimeStages | undefined {
  if (doc.pullRequests.length === 0) return undefined;
  const each = doc.pullRequests.map((pr) => pullRequestStages(pr, row, doc));
  const stage = (name: keyof LeadTimeStages) => avg(each.flatMap((s) => (s[name] !== undefined ? [s[name]!] : [])));
  const out: LeadTimeStages = { codingDurationMs: stage('codingDurationMs') ?? 0 };
  for (const name of ['reviewDurationMs', 'waitDurationMs', 'deployDurationMs'] as const) {
    const value = stage(name);
    if (value !== undefined) out[name] = value;
  }
  const total = leadTimeOf(row, doc);
  if (total !== undefined && doc.endedAt !== undefined) out.totalLeadTimeMs = total;
  return out;
}

/** "The total lead time from first commit to deployment end": from the earliest first commit (or pull request) of the deployment; 0 when unknown. */
export function leadTimeOf(row: DeploymentRow, doc: DeploymentDoc): number | undefined {
  if (doc.endedAt === undefined || doc.pullRequests.length === 0) return undefined;
  const first = Math.min(...doc.pullRequests.map((pr) => pr.firstCommitTime ?? pr.createTime));
  return Math.max(0, doc.endedAt - first);
}

export function pullRequestId(projectKey: string, applicationKey: string, externalId: string): string {
  return derivedUuid('pull-request', projectKey, applicationKey, externalId);
}

/** The flag references of pull requests, summed per flag (FlagReferenceCollectionRep). */
export function flagReferencesOf(pullRequests: readonly PullRequestInput[]): { totalCount: number; items: FlagReference[] } {
  const byFlag = new Map<string, FlagReference>();
  for (const ref of pullRequests.flatMap((pr) => pr.flagReferences)) {
    const key = `${ref.projectKey}\u0000${ref.flagKey}`;
    const known = byFlag.get(key);
    byFlag.set(key, known ? { ...known, referencesAdded: known.referencesAdded + ref.referencesAdded, referencesRemoved: known.referencesRemoved + ref.referencesRemoved } : { ...ref });
  }
  const items = [...byFlag.values()].sort((a, b) => (a.projectKey + a.flagKey < b.projectKey + b.flagKey ? -1 : 1));
  return { totalCount: items.length, items };
}

/** PullRequestRep: `status` "deployed" once a deployment carrying it finished. */
export function representPullRequest(pr: PullRequestInput, id: string, deployed: boolean): Record<string, unknown> {
  return {
    id,
    externalId: pr.externalId,
    title: pr.title,
    status: deployed ? 'deployed' : pr.status,
    author: pr.author,
    createTime: pr.createTime,
    ...(pr.mergeTime !== undefined ? { mergeTime: pr.mergeTime } : {}),
    ...(pr.mergeCommitKey !== undefined ? { mergeCommitKey: pr.mergeCommitKey } : {}),
    baseCommitKey: pr.baseCommitKey,
    headCommitKey: pr.headCommitKey,
    filesChanged: pr.filesChanged,
    linesAdded: pr.linesAdded,
    linesDeleted: pr.linesDeleted,
    url: pr.url,
  };
}

export const DEPLOYMENT_EXPANDS = ['pullRequests', 'flagReferences'] as const;
export type DeploymentExpand = (typeof DEPLOYMENT_EXPANDS)[number];

/** DeploymentRep. */
export function representDeployment(row: DeploymentRow, expand: ReadonlySet<string> = new Set()): Record<string, unknown> {
  const doc = deploymentDoc(row);
  const started = Number(row.started_at);
  const prs = doc.pullRequests;
  const stages = deploymentStages(row, doc);
  const rep: Record<string, unknown> = {
    id: row.id,
    applicationKey: row.application_key,
    applicationVersion: row.version,
    startedAt: started,
    ...(doc.endedAt !== undefined ? { endedAt: doc.endedAt, durationMs: Math.max(0, doc.endedAt - started) } : {}),
    status: row.status,
    kind: doc.kind,
    active: doc.active,
    metadata: doc.metadata,
    archived: doc.archived,
    environmentKey: doc.environmentKey,
    numberOfContributors: new Set(prs.map((pr) => pr.author)).size,
    numberOfPullRequests: prs.length,
    linesAdded: prs.reduce((sum, pr) => sum + pr.linesAdded, 0),
    linesDeleted: prs.reduce((sum, pr) => sum + pr.linesDeleted, 0),
    leadTime: leadTimeOf(row, doc) ?? 0,
    ...(stages ? { leadTimeStages: stages } : {}),
  };
  if (expand.has('pullRequests')) {
    const items = prs.map((pr) => representPullRequest(pr, pullRequestId(doc.projectKey, row.application_key, pr.externalId), row.status === 'finished'));
    rep.pullRequests = { totalCount: items.length, items };
  }
  if (expand.has('flagReferences')) rep.flagReferences = flagReferencesOf(prs);
  return rep;
}

export function deploymentAudit(row: DeploymentRow, doc: DeploymentDoc, action: string, description: string): { kind: string; resource: string; action: string; description: string; name: string; projectKey: string } {
  return {
    kind: 'deployment',
    resource: `proj/${doc.projectKey}:env/${doc.environmentKey}:deployment/${row.id}`,
    action,
    description,
    name: `${row.application_key} ${row.version}`,
    projectKey: doc.projectKey,
  };
}
