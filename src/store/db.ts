// Opens the store (SQLite embedded default, or PostgreSQL), runs migrations, and gives one transaction helper.
import fs from 'node:fs';
import path from 'node:path';
import { CompiledQuery, Kysely, Migrator, PostgresDialect, sql, type Migration, type Transaction } from 'kysely';
import type pg from 'pg';
import type { Database } from './schema.js';
import { pgModule } from './pgModule.js';
import { openSqlite, SqlitePairDialect, writeOnThread, type SqliteHandles } from './sqlite.js';
import type { CheckedWrite } from './sqliteThread.js';
import * as m001 from './migrations/001_initial.js';
import * as m002 from './migrations/002_layers.js';
import * as m003 from './migrations/003_write_drafts.js';
import * as m004 from './migrations/004_sdk_events.js';
import * as m005 from './migrations/005_segments.js';
import * as m006 from './migrations/006_sdk_events_indexes.js';
import * as m007 from './migrations/007_holdouts.js';
import * as m008 from './migrations/008_custom_roles.js';
import * as m009 from './migrations/009_flag_requests.js';
import * as m010 from './migrations/010_teams.js';
import * as m011 from './migrations/011_member_emails.js';
import * as m012 from './migrations/012_expiring_targets.js';
import * as m013 from './migrations/013_bandit_reallocations.js';
import * as m014 from './migrations/014_context_instances.js';
import * as m015 from './migrations/015_context_kind_last_seen.js';
import * as m016 from './migrations/016_flag_followers.js';
import * as m017 from './migrations/017_webhooks.js';
import * as m018 from './migrations/018_flag_triggers.js';
import * as m019 from './migrations/019_flag_scheduled_changes.js';
import * as m020 from './migrations/020_flag_approval_requests.js';
import * as m021 from './migrations/021_relay_auto_configs.js';
import * as m022 from './migrations/022_flag_links.js';
import * as m023 from './migrations/023_code_references.js';
import * as m024 from './migrations/024_destinations.js';
import * as m025 from './migrations/025_audit_log_subscriptions.js';
import * as m026 from './migrations/026_applications.js';
import * as m027 from './migrations/027_segment_approvals.js';
import * as m028 from './migrations/028_big_segments.js';
import * as m029 from './migrations/029_big_segment_stores.js';
import * as m030 from './migrations/030_ai_configs.js';
import * as m031 from './migrations/031_ai_library.js';
import * as m032 from './migrations/032_views.js';
import * as m033 from './migrations/033_workflows.js';
import * as m034 from './migrations/034_releases.js';
import * as m035 from './migrations/035_oauth_announcements.js';
import * as m036 from './migrations/036_usage.js';
import * as m037 from './migrations/037_integrations.js';
import * as m038 from './migrations/038_insights.js';
import * as m039 from './migrations/039_prompt_snippet_versions.js';
import * as m040 from './migrations/040_agent_optimizations.js';
import * as m041 from './migrations/041_sdk_keys_ip_allowlist.js';
import * as m042 from './migrations/042_warehouse_setup.js';
import * as m043 from './migrations/043_usage_series.js';
import * as m044 from './migrations/044_flag_context_kinds.js';
import * as m045 from './migrations/045_experiment_group_metric_refs.js';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
export type DbKind = 'sqlite' | 'postgres';

export const MIGRATIONS: Record<string, Migration> = {
  '001_initial': m001,
  '002_layers': m002,
  '003_write_drafts': m003,
  '004_sdk_events': m004,
  '005_segments': m005,
  '006_sdk_events_indexes': m006,
  '007_holdouts': m007,
  '008_custom_roles': m008,
  '009_flag_requests': m009,
  '010_teams': m010,
  '011_member_emails': m011,
  '012_expiring_targets': m012,
  '013_bandit_reallocations': m013,
  '014_context_instances': m014,
  '015_context_kind_last_seen': m015,
  '016_flag_followers': m016,
  '017_webhooks': m017,
  '018_flag_triggers': m018,
  '019_flag_scheduled_changes': m019,
  '020_flag_approval_requests': m020,
  '021_relay_auto_configs': m021,
  '022_flag_links': m022,
  '023_code_references': m023,
  '024_destinations': m024,
  '025_audit_log_subscriptions': m025,
  '026_applications': m026,
  '027_segment_approvals': m027,
  '028_big_segments': m028,
  '029_big_segment_stores': m029,
  '030_ai_configs': m030,
  '031_ai_library': m031,
  '032_views': m032,
  '033_workflows': m033,
  '034_releases': m034,
  '035_oauth_announcements': m035,
  '036_usage': m036,
  '037_integrations': m037,
  '038_insights': m038,
  '039_prompt_snippet_versions': m039,
  '040_agent_optimizations': m040,
  '041_sdk_keys_ip_allowlist': m041,
  '042_warehouse_setup': m042,
  '043_usage_series': m043,
  '044_flag_context_kinds': m044,
  '045_experiment_group_metric_refs': m045,
};

export interface StoreOptions {
  poolSize?: number;
  statementTimeoutMs?: number;
  idleTimeoutMs?: number;
  connectTimeoutMs?: number;
}

export class SchemaTooNewError extends Error {}

interface QueuedWrite {
  fn: (trx: Trx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

// Compiled once: group commit runs them around every write.
const SAVEPOINT = CompiledQuery.raw('savepoint w');
const RELEASE = CompiledQuery.raw('release w');
const ROLLBACK_TO = CompiledQuery.raw('rollback to w');

/** The most writes one SQLite commit carries; bounds how long the first of them waits for the last. */
const GROUP_COMMIT_MAX = 32;

/** Where the schema stands against this binary's migrations. */
export interface MigrationStatus {
  /** Migrations this binary has that the database has not run. */
  pending: string[];
  /** Migrations the database has run that this binary does not know (a newer iterlab migrated it). */
  unknown: string[];
}

// Any constant will do, so long as nothing else in the database uses it; Kysely's migration lock is another key.
const EXCLUSIVE_LOCK_KEY = 7_243_018_331;

export class Store {
  private constructor(
    readonly db: Db,
    readonly kind: DbKind,
    private readonly pool: pg.Pool | undefined,
    private readonly url: string,
    private readonly sqlite?: SqliteHandles,
  ) {}

  static open(url: string, options: StoreOptions = {}): Store {
    if (url.startsWith('sqlite:')) {
      const file = url.slice('sqlite:'.length);
      if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      const handles = openSqlite(file);
      const db = new Kysely<Database>({ dialect: new SqlitePairDialect(handles) });
      return new Store(db, 'sqlite', undefined, url, handles);
    }
    const pool = new (pgModule().Pool)({
      connectionString: url,
      max: options.poolSize ?? 10,
      statement_timeout: options.statementTimeoutMs || undefined,
      idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 0,
      application_name: 'iterlab',
    });
    // An idle client that loses its connection must not crash the process.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return new Store(db, 'postgres', pool, url);
  }

  /** The connection URL, for components that need a dedicated connection of their own (LISTEN). */
  get connectionUrl(): string {
    return this.url;
  }

  /**
   * Brings the schema up to date; refuses to run against a schema newer than this binary. Safe when several
   * instances start at once: on PostgreSQL Kysely's Migrator holds an advisory lock while it reads the applied
   * migrations and runs the pending ones, so exactly one instance migrates and the others then find nothing to do.
   */
  async migrate(): Promise<void> {
    // A migration may outlast DATABASE_STATEMENT_TIMEOUT_MS, and so may waiting for another instance's
    // migration lock; the migration therefore gets its own connection without that timeout.
    const db = this.kind === 'postgres' ? new Kysely<Database>({ dialect: new PostgresDialect({ pool: migrationPool(this.url) }) }) : this.db;
    try {
      const status = await migrationStatusOf(db);
      if (status.unknown.length > 0) throw schemaTooNew(status.unknown);
      if (status.pending.length === 0) return;
      const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
      const { error } = await migrator.migrateToLatest();
      if (error) {
        // A newer iterlab may have migrated between our look and the lock; the Migrator then finds the unknown name.
        const missing = /previously executed migration (\S+) is missing/.exec(String((error as Error).message));
        throw missing ? schemaTooNew([missing[1]]) : error;
      }
    } finally {
      if (db !== this.db) await db.destroy();
    }
  }

  /** Runs the migrations up to and including `name` only (an import fits rows to the schema they came from). */
  async migrateTo(name: string): Promise<void> {
    const { error } = await new Migrator({ db: this.db, provider: { getMigrations: async () => MIGRATIONS } }).migrateTo(name);
    if (error) throw error;
  }

  /** The migrations this store has run, in order; empty when it has no schema yet. */
  async executedMigrations(): Promise<string[]> {
    return (await executedMigrationsOf(this.db)).sort();
  }

  /** Which migrations are pending or unknown; throws when the store does not answer. */
  migrationStatus(): Promise<MigrationStatus> {
    return migrationStatusOf(this.db);
  }

  /**
   * Runs fn in one transaction that no other instance's exclusive() runs alongside (a transaction-scoped
   * advisory lock on PostgreSQL; SQLite serializes writers itself). For start-up work that reads then writes,
   * such as creating the owner and the first admin token exactly once.
   */
  exclusive<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
    return this.tx(async (trx) => {
      if (this.kind === 'postgres') await sql`select pg_advisory_xact_lock(${sql.lit(EXCLUSIVE_LOCK_KEY)})`.execute(trx);
      return fn(trx);
    });
  }

  /**
   * Runs fn in one transaction; every write in iterlab goes through here. It resolves once the write is
   * committed (durable as the store's settings say), and rejects with fn's error having written nothing.
   *
   * On SQLite writes are serialized anyway (one connection), and the commit is most of a small write's cost.
   * So writes that queue up while one runs are run together, one after another in one transaction, each inside
   * its own savepoint (a failing one is rolled back alone), and committed once: group commit. Each still sees
   * exactly the writes before it, as if run alone in turn; none is acknowledged before the shared commit.
   */
  tx<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
    if (this.kind !== 'sqlite') return this.db.transaction().execute(fn);
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ fn: fn as (trx: Trx) => Promise<unknown>, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) void this.drain();
    });
  }

  private readonly queued: QueuedWrite[] = [];
  private draining = false;

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queued.length > 0) {
        const batch: QueuedWrite[] = [];
        const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
        try {
          await this.db.transaction().execute(async (trx) => {
            // better-sqlite3 answers synchronously, so a write runs start to end within one turn of the event
            // loop; writes of requests still being parsed join at the next turn, until a turn brings none.
            for (;;) {
              if (this.queued.length === 0) await new Promise((resolve) => setImmediate(resolve));
              const next = this.queued.splice(0, GROUP_COMMIT_MAX - batch.length);
              if (next.length === 0) break;
              for (const write of next) {
                batch.push(write);
                await trx.executeQuery(SAVEPOINT);
                try {
                  const value = await write.fn(trx);
                  await trx.executeQuery(RELEASE);
                  outcomes.push({ ok: true, value });
                } catch (error) {
                  await trx.executeQuery(ROLLBACK_TO);
                  await trx.executeQuery(RELEASE);
                  outcomes.push({ ok: false, error });
                }
              }
              if (batch.length >= GROUP_COMMIT_MAX) break;
            }
          });
        } catch (error) {
          // The commit failed (or SQLite rolled the transaction back itself): nothing of the batch was written.
          for (const write of batch) write.reject(error);
          continue;
        }
        batch.forEach((write, i) => {
          const outcome = outcomes[i];
          if (outcome.ok) write.resolve(outcome.value);
          else write.reject(outcome.error);
        });
      }
    } finally {
      this.draining = false;
    }
  }

  /** Whether writeOffThread can run writes here (a SQLite database file). */
  get writesOffThread(): boolean {
    return this.sqlite?.thread !== undefined;
  }

  /**
   * Runs a write made only of checks and statements on SQLite's writer thread, off the event loop: true when
   * written, false when a check failed (nothing written). Undefined where there is no such thread (PostgreSQL, an
   * in-memory database): write it as a transaction instead.
   */
  writeOffThread(write: CheckedWrite): Promise<boolean | undefined> {
    return this.sqlite ? writeOnThread(this.sqlite, write) : Promise.resolve(undefined);
  }

  poolStats(): { total: number; idle: number; waiting: number } | undefined {
    if (!this.pool) return undefined;
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

function migrationPool(url: string): pg.Pool {
  const pool = new (pgModule().Pool)({ connectionString: url, max: 1, application_name: 'iterlab-migrate' });
  pool.on('error', () => {});
  return pool;
}

function schemaTooNew(unknown: string[]): SchemaTooNewError {
  return new SchemaTooNewError(
    `the database schema is newer than this iterlab: it has migration${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}, ` +
      `which this version (knowing ${Object.keys(MIGRATIONS).join(', ')}) does not; run the newer iterlab, or restore a backup taken before it migrated`,
  );
}

async function executedMigrationsOf(db: Db): Promise<string[]> {
  try {
    const rows = await db
      .selectFrom('kysely_migration' as never)
      .select('name' as never)
      .execute();
    return rows.map((row) => (row as { name: string }).name);
  } catch (err) {
    // A store that was never migrated has no migration table; any other failure is the store's (unreachable...).
    const e = err as { code?: string; message?: string };
    if (e.code !== '42P01' && !/no such table/.test(e.message ?? '')) throw err;
    return [];
  }
}

async function migrationStatusOf(db: Db): Promise<MigrationStatus> {
  const executed = await executedMigrationsOf(db);
  return {
    pending: Object.keys(MIGRATIONS).filter((name) => !executed.includes(name)),
    unknown: executed.filter((name) => !(name in MIGRATIONS)),
  };
}

/**
 * True when err is a foreign-key violation on either database. Every foreign key cascades on delete, so only an
 * insert or update can violate one: it named a parent row that is not there, as when the parent was deleted while
 * the write ran.
 */
export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string } | undefined;
  return e?.code === '23503' || e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** The table of the missing parent of a foreign-key violation, where the database says (PostgreSQL does, SQLite not). */
export function missingParentTable(err: unknown): string | undefined {
  const detail = (err as { detail?: unknown } | undefined)?.detail;
  return typeof detail === 'string' ? /is not present in table "([^"]+)"/.exec(detail)?.[1] : undefined;
}

/** True when err is a unique-constraint violation on either database. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | undefined;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
