// TEMP until the layers slice lands.
import type { Db, Trx } from '../../store/db.js';
import type { LayerFacts } from './lifecycle.js';
export async function findLayerReservation(_db: Db | Trx, _projectId: string, _environmentKey: string, _experimentKey: string): Promise<LayerFacts | undefined> {
  return undefined;
}
