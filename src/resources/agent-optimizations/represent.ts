// The AgentOptimization, AgentOptimizationResult and AgentOptimizationRun representations and their collections, and
// the audit entry of each change: the only code that builds their JSON. An optimization's `_links` are its collection
// (parent) and itself; a result's, its optimization and its own path (the one PATCH takes).
import { link, pageLinks, type Page } from '../../http/links.js';
import type { AuditEntry } from '../audit-log/record.js';
import { optimizationDoc, resultDoc, type OptimizationRow, type ResultRow, type Run } from './model.js';

export const optimizationsPath = (projectKey: string) => `/api/v2/projects/${projectKey}/agent-optimizations`;
export const optimizationPath = (projectKey: string, key: string) => `${optimizationsPath(projectKey)}/${key}`;

/** An optimization as its current version defines it: `createdAt` is when that version was made. */
export function representOptimization(projectKey: string, row: OptimizationRow): Record<string, unknown> {
  const doc = optimizationDoc(row);
  return {
    _links: { parent: link(optimizationsPath(projectKey)), self: link(optimizationPath(projectKey, row.key)) },
    id: row.id,
    key: row.key,
    ...doc,
    version: row.version,
    createdAt: Number(row.created_at),
  };
}

export function representOptimizations(projectKey: string, page: Page, items: Record<string, unknown>[], totalCount: number, filter?: string): Record<string, unknown> {
  return { _links: pageLinks(optimizationsPath(projectKey), page, totalCount, { filter }), items, totalCount };
}

export function representResult(projectKey: string, optimization: OptimizationRow, row: ResultRow): Record<string, unknown> {
  const doc = resultDoc(row);
  const path = optimizationPath(projectKey, optimization.key);
  return {
    _links: { parent: link(path), self: link(`${path}/results/${row.id}`) },
    id: row.id,
    runId: row.run_id,
    agentOptimizationId: optimization.id,
    agentOptimizationVersion: row.version,
    status: row.status,
    activity: row.activity,
    iteration: row.iteration,
    ...doc,
    ...(row.completed_at !== null ? { completedAt: Number(row.completed_at) } : {}),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** A page of results under `path`, or (without `page`) all of them. */
export function representResults(projectKey: string, optimization: OptimizationRow, path: string, rows: readonly ResultRow[], page?: Page): Record<string, unknown> {
  const shown = page ? rows.slice(page.offset, page.offset + page.limit) : rows;
  return {
    _links: page ? pageLinks(path, page, rows.length) : { self: link(path) },
    items: shown.map((row) => representResult(projectKey, optimization, row)),
    totalCount: rows.length,
  };
}

/** A run: `completedAt` once the result updated last has ended it (PASSED, FAILED or ERRORED), null while it runs. */
export function representRun(optimization: OptimizationRow, run: Run): Record<string, unknown> {
  const { latest } = run;
  return {
    runId: run.runId,
    optimizationKey: optimization.key,
    agentOptimizationId: optimization.id,
    agentOptimizationVersion: latest.version,
    status: latest.status,
    activity: latest.activity,
    createdAt: Number(run.createdAt),
    completedAt: latest.status !== 'RUNNING' && latest.completed_at !== null ? Number(latest.completed_at) : null,
  };
}

export function representRuns(projectKey: string, optimization: OptimizationRow, page: Page, runs: readonly Run[]): Record<string, unknown> {
  return {
    _links: pageLinks(`${optimizationPath(projectKey, optimization.key)}/runs`, page, runs.length),
    items: runs.slice(page.offset, page.offset + page.limit).map((run) => representRun(optimization, run)),
    totalCount: runs.length,
  };
}

/** The resource specifier roles name an optimization by: `proj/p:agent-optimization/key`. */
export function optimizationResource(projectKey: string, key: string): string {
  return `proj/${projectKey}:agent-optimization/${key}`;
}

export function optimizationAudit(projectKey: string, key: string, action: string, description: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { kind: 'agent-optimization', resource: optimizationResource(projectKey, key), action, name: key, description, projectKey, ...extra };
}
