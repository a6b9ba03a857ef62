// The way back in for an operator whose every address the allowlist now excludes (an office's address changed, say):
// `iterlab ip-allowlist-off` turns token enforcement off in the store, audited, and tells the running instances
// through the change bus (on SQLite, a server in another process sees it once its cached allowlist ages out, within
// a minute). The entries and the session setting stay as they were.
import type { ChangeBus } from '../../store/changes.js';
import type { Store } from '../../store/db.js';
import { recordAudit } from '../audit-log/record.js';
import { lockConfig, writeConfig } from './model.js';
import { allowlistAudit } from './represent.js';

/** Turns apiTokenAllowlistEnabled off; false when it was off already (nothing written). */
export async function turnOffTokenAllowlist(store: Store, bus: ChangeBus, now: number): Promise<boolean> {
  const changed = await store.tx(async (trx) => {
    const before = await lockConfig(trx, store, now);
    if (!before.apiTokenAllowlistEnabled) return false;
    const after = { ...before, apiTokenAllowlistEnabled: false };
    await writeConfig(trx, after, now);
    await recordAudit(trx, undefined, now, allowlistAudit('settings', 'updateIpAllowlistEnabled', 'IP allowlist', 'turned the IP allowlist off for access tokens from the command line (iterlab ip-allowlist-off)', { before, after }));
    return true;
  });
  if (changed) {
    bus.publish({ kind: 'ip-allowlist' });
    await bus.flush();
  }
  return changed;
}
