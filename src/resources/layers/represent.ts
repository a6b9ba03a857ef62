// The only code that turns stored layers and reservations into LaunchDarkly's LayerRep JSON.
import type { Db, Trx } from '../../store/db.js';
import { experimentFlagKeys, loadReservations, type LayerDoc, type LayerRow, type Reservation } from './model.js';

/** LayerRep; `environments` holds each environment with at least one reservation. */
export function representLayer(row: LayerRow, reservations: Reservation[], flagKeys: ReadonlyMap<string, string>): Record<string, unknown> {
  const doc = JSON.parse(row.doc) as LayerDoc;
  const environments: Record<string, { reservations: Record<string, unknown>[] }> = {};
  for (const r of reservations) {
    if (r.layerId !== row.id) continue;
    environments[r.environmentKey] ??= { reservations: [] };
    environments[r.environmentKey].reservations.push({
      experimentKey: r.experimentKey,
      flagKey: flagKeys.get(r.experimentId) ?? '',
      reservationPercent: r.reservationPercent,
    });
  }
  return {
    key: row.key,
    name: row.name,
    description: doc.description,
    createdAt: Number(row.created_at),
    randomizationUnit: doc.randomizationUnit,
    environments,
  };
}

/** Loads what the given layers' representations need (reservations, flag keys) and renders them in order. */
export async function representLayers(db: Db | Trx, rows: LayerRow[]): Promise<Record<string, unknown>[]> {
  const reservations = await loadReservations(
    db,
    rows.map((row) => row.id),
  );
  const flagKeys = await experimentFlagKeys(
    db,
    reservations.map((r) => r.experimentId),
  );
  return rows.map((row) => representLayer(row, reservations, flagKeys));
}
