// The only code that turns stored holdouts into LaunchDarkly's HoldoutRep, HoldoutDetailRep and SimpleHoldoutRep.
import type { Db, Trx } from '../../store/db.js';
import { loadIterations, type ExperimentDoc, type ExperimentIterations, type ExperimentRow } from '../experiments/model.js';
import { representExperiment } from '../experiments/represent.js';
import { holdoutStatus, membersOf, type HoldoutDoc, type HoldoutRow } from './model.js';

/** A holdout with what its representations show: its base experiment and the experiments in it. */
export interface HoldoutView {
  row: HoldoutRow;
  doc: HoldoutDoc;
  base: ExperimentRow;
  baseDoc: ExperimentDoc;
  baseIterations: ExperimentIterations;
  members: ExperimentRow[];
  /** The members' iterations, loaded only for HoldoutDetailRep. */
  memberIterations: Map<string, ExperimentIterations>;
}

/** Loads the views of rows, in their order; `withPrevious` loads every iteration (for the expansions that show them). */
export async function loadViews(db: Db | Trx, rows: HoldoutRow[], options: { withPrevious?: boolean; memberIterations?: boolean } = {}): Promise<HoldoutView[]> {
  if (rows.length === 0) return [];
  const bases = new Map((await db.selectFrom('experiments').selectAll().where('id', 'in', rows.map((r) => r.experiment_id)).execute()).map((e) => [e.id, e]));
  const iterations = await loadIterations(db, [...bases.keys()], options.withPrevious ?? false);
  const members = await membersOf(db, rows.map((r) => r.id));
  const memberIds = [...members.values()].flat().map((m) => m.id);
  const memberIterations = options.memberIterations ? await loadIterations(db, memberIds, options.withPrevious ?? false) : new Map<string, ExperimentIterations>();
  return rows.map((row) => {
    const base = bases.get(row.experiment_id)!;
    return {
      row,
      doc: JSON.parse(row.doc) as HoldoutDoc,
      base,
      baseDoc: JSON.parse(base.doc) as ExperimentDoc,
      baseIterations: iterations.get(base.id)!,
      members: members.get(row.id) ?? [],
      memberIterations,
    };
  });
}

const statusOf = (view: HoldoutView) => holdoutStatus(view.doc, view.base.status, view.members.length);

/**
 * When the holdout last changed: a patch of its own (which also ends it), or a change of its status that happened
 * elsewhere: an experiment joining it (enabled) or the first of them starting its base experiment (running).
 */
const updatedAtOf = (view: HoldoutView) =>
  Math.max(view.doc.updatedAt, view.baseIterations.current?.doc.startedAt ?? 0, ...view.members.map((m) => m.created_at));

const related = (view: HoldoutView, environmentKey: string) => view.members.map((m) => ({ key: m.key, name: m.name, environment: environmentKey }));

/** The expansions of the base experiment (`treatments`…) and, prefixed `rel-`, of the related experiments. */
function splitExpand(expand: ReadonlySet<string>): { base: Set<string>; rel: Set<string> } {
  const base = new Set<string>();
  const rel = new Set<string>();
  for (const name of expand) {
    if (name.startsWith('rel-')) rel.add(name === 'rel-metrics' ? 'secondaryMetrics' : name.slice(4));
    else base.add(name);
  }
  return { base, rel };
}

/** HoldoutRep: what create, the patch and getHoldoutById answer. */
export function representHoldout(projectKey: string, environmentKey: string, view: HoldoutView): Record<string, unknown> {
  const rep: Record<string, unknown> = { _id: view.row.id, status: statusOf(view) };
  if (view.baseDoc.description !== undefined) rep.description = view.baseDoc.description;
  rep.holdoutAmount = view.doc.holdoutAmount;
  rep.createdAt = view.doc.createdAt;
  rep.updatedAt = updatedAtOf(view);
  rep.baseExperiment = representExperiment(projectKey, environmentKey, view.base, view.baseIterations, new Set(['treatments']));
  rep.experiments = related(view, environmentKey);
  return rep;
}

/** HoldoutDetailRep: what getHoldout answers, with `expand`. */
export function representHoldoutDetail(projectKey: string, environmentKey: string, view: HoldoutView, expand: ReadonlySet<string>): Record<string, unknown> {
  const { base, rel } = splitExpand(expand);
  const running = (e: ExperimentRow) => e.status === 'running';
  const rep: Record<string, unknown> = { _id: view.row.id, status: statusOf(view) };
  if (view.baseDoc.description !== undefined) rep.description = view.baseDoc.description;
  rep.holdoutAmount = view.doc.holdoutAmount;
  rep.isDirty = running(view.base) && view.members.some(running);
  rep.createdAt = view.doc.createdAt;
  rep.updatedAt = updatedAtOf(view);
  rep.baseExperiment = representExperiment(projectKey, environmentKey, view.base, view.baseIterations, base);
  rep.relatedExperiments = view.members.map((m) =>
    representExperiment(projectKey, environmentKey, m, view.memberIterations.get(m.id) ?? { current: undefined, draft: undefined, previous: [] }, rel),
  );
  return rep;
}

/** HoldoutDetailRep of one stored holdout, with the iterations its expansions need. */
export async function holdoutDetail(db: Db | Trx, projectKey: string, environmentKey: string, row: HoldoutRow, expand: ReadonlySet<string>): Promise<Record<string, unknown>> {
  const withPrevious = expand.has('previousIterations') || expand.has('rel-previousIterations');
  const [view] = await loadViews(db, [row], { withPrevious, memberIterations: true });
  return representHoldoutDetail(projectKey, environmentKey, view, expand);
}

/** SimpleHoldoutRep: an item of the list. */
export function representSimpleHoldout(environmentKey: string, view: HoldoutView): Record<string, unknown> {
  return {
    _id: view.row.id,
    key: view.row.key,
    name: view.baseDoc.name,
    status: statusOf(view),
    createdAt: view.doc.createdAt,
    updatedAt: updatedAtOf(view),
    experiments: related(view, environmentKey),
  };
}

export const HOLDOUT_EXPANSIONS = [
  'draftIteration',
  'previousIterations',
  'secondaryMetrics',
  'treatments',
  'rel-draftIteration',
  'rel-metrics',
  'rel-previousIterations',
  'rel-secondaryMetrics',
  'rel-treatments',
];
