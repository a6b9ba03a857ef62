// node-postgres, loaded on first use rather than imported: a process on SQLite never needs it, and the module with
// its dependencies is ~3 MB of heap that would stay resident for the process's life (bench/README.md, 43).
import { createRequire } from 'node:module';
import type Pg from 'pg';

let loaded: typeof Pg | undefined;

export function pgModule(): typeof Pg {
  if (loaded === undefined) {
    loaded = createRequire(import.meta.url)('pg') as typeof Pg;
    // PostgreSQL int8 arrives as a string by default; every bigint we store is epoch ms, safely a number.
    loaded.types.setTypeParser(20, (value) => Number(value));
  }
  return loaded;
}
