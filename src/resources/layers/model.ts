// Layers: the stored shape, lookups that 404 with the key named, reservations as queries load them, and
// findLayerReservation, which the experiment lifecycle calls inside its own transaction.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Store, Trx } from '../../store/db.js';
import { notFound } from '../../http/errors.js';
import { lockNames } from '../../store/locks.js';
import { loadIterations, RUNNING_STATUS, type IterationDoc } from '../experiments/model.js';

export interface LayerDoc {
  description: string;
  randomizationUnit: string;
}

export interface LayerRow {
  id: string;
  project_id: string;
  key: string;
  name: string;
  doc: string;
  created_at: number;
}

/** One experiment's reservation in a layer, with what representations and rules need of the experiment. */
export interface Reservation {
  layerId: string;
  experimentId: string;
  experimentKey: string;
  /** Status of the experiment's current iteration (not_started, running, stopped). */
  experimentStatus: string;
  environmentId: string;
  environmentKey: string;
  reservationPercent: number;
  position: number;
}

export async function findLayer(db: Db | Trx, store: Store, projectId: string, projectKey: string, key: string, lock = false): Promise<LayerRow> {
  let query = db.selectFrom('layers').selectAll().where('project_id', '=', projectId).where('key', '=', key);
  if (lock && store.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Layer "${key}" in project "${projectKey}"`);
  return row;
}

/** The reservations of the given layers (optionally in one environment), in the order they were added. */
export async function loadReservations(db: Db | Trx, layerIds: string[], environmentId?: string): Promise<Reservation[]> {
  if (layerIds.length === 0) return [];
  let query = db
    .selectFrom('layer_reservations as r')
    .innerJoin('experiments as e', 'e.id', 'r.experiment_id')
    .innerJoin('environments as env', 'env.id', 'r.environment_id')
    .where('r.layer_id', 'in', layerIds);
  if (environmentId !== undefined) query = query.where('r.environment_id', '=', environmentId);
  const rows = await query
    .select([
      'r.layer_id as layerId',
      'r.experiment_id as experimentId',
      'e.key as experimentKey',
      'e.status as experimentStatus',
      'r.environment_id as environmentId',
      'env.key as environmentKey',
      'r.reservation_percent as reservationPercent',
      'r.position as position',
    ])
    .orderBy('env.position')
    .orderBy('env.id')
    .orderBy('r.position')
    .execute();
  return rows.map((row) => ({ ...row, reservationPercent: Number(row.reservationPercent), position: Number(row.position) }));
}

/** The flag each experiment's current iteration runs on (the first, should an iteration name several). */
export async function experimentFlagKeys(db: Db | Trx, experimentIds: string[]): Promise<Map<string, string>> {
  const iterations = await loadIterations(db, [...new Set(experimentIds)], false);
  const out = new Map<string, string>();
  for (const [id, its] of iterations) out.set(id, Object.keys(its.current?.doc.flags ?? {})[0] ?? '');
  return out;
}

export interface LayerReservation {
  layer: { key: string; name: string };
  reservationPercent: number;
  /** The sum of the other experiments' reservations in the same layer and environment. */
  otherReservationPercent: number;
  /** The seed every experiment of the layer buckets with in this environment, so that a unit has one bucket in all. */
  seed: number;
  /** The stretches of bucket space the layer's other running experiments take here (IterationDoc.layerSlice). */
  taken: { offset: number; width: number }[];
}

/** A layer's seed in an environment: fixed, positive, 31 bits, never 0 (SDKs read 0 as no seed). */
export function layerSeed(layerId: string, environmentId: string): number {
  const digest = crypto.createHash('sha1').update(`${layerId}.${environmentId}`).digest();
  return (digest.readUInt32BE(0) & 0x7fffffff) || 1;
}

/**
 * The layer an experiment has reserved traffic in, in one environment, or undefined when it is in none.
 * Meant to be called inside the caller's transaction (starting or stopping an iteration), so what it reads
 * is what that transaction commits against.
 */
export async function findLayerReservation(
  db: Db | Trx,
  projectId: string,
  environmentKey: string,
  experimentKey: string,
  /** Given inside a write that may start the experiment: the stretches are read under the layer's lock (below). */
  lockWith?: Store,
): Promise<LayerReservation | undefined> {
  const own = await db
    .selectFrom('layer_reservations as r')
    .innerJoin('experiments as e', 'e.id', 'r.experiment_id')
    .innerJoin('environments as env', 'env.id', 'r.environment_id')
    .innerJoin('layers as l', 'l.id', 'r.layer_id')
    .where('l.project_id', '=', projectId)
    .where('env.key', '=', environmentKey)
    .where('e.key', '=', experimentKey)
    .select(['l.id as layerId', 'l.key as layerKey', 'l.name as layerName', 'r.experiment_id as experimentId', 'r.environment_id as environmentId', 'r.reservation_percent as percent'])
    .executeTakeFirst();
  if (!own) return undefined;
  // Two experiments of a layer starting at once on PostgreSQL would each read the other's stretch as free, and take
  // the same one. Starts in one layer and environment take turns; the lock is taken after the experiment's and its
  // flags' row locks, and no row lock is waited for after it (lockNames).
  if (lockWith) await lockNames(db as Trx, lockWith, [`layer:${own.layerId}:${own.environmentId}`]);
  const others = await db
    .selectFrom('layer_reservations')
    .where('layer_id', '=', own.layerId)
    .where('environment_id', '=', own.environmentId)
    .where('experiment_id', '!=', own.experimentId)
    .select(sql<number | string | null>`sum(reservation_percent)`.as('total'))
    .executeTakeFirst();
  const running = await db
    .selectFrom('layer_reservations as r')
    .innerJoin('iterations as i', 'i.experiment_id', 'r.experiment_id')
    .where('r.layer_id', '=', own.layerId)
    .where('r.environment_id', '=', own.environmentId)
    .where('r.experiment_id', '!=', own.experimentId)
    .where('i.status', '=', RUNNING_STATUS)
    .select('i.doc')
    .execute();
  const taken = running.flatMap((row) => {
    const slice = (JSON.parse(row.doc) as IterationDoc).layerSlice;
    return slice ? [{ offset: slice.offset, width: slice.width }] : [];
  });
  return {
    layer: { key: own.layerKey, name: own.layerName },
    reservationPercent: Number(own.percent),
    otherReservationPercent: Number(others?.total ?? 0),
    seed: layerSeed(own.layerId, own.environmentId),
    taken,
  };
}
