// Webhooks (LaunchDarkly's "Webhooks" API), and their outbox: every audit entry written while some webhook is on
// leaves a row to deliver, in the entry's own transaction. A trigger writes it, so that every way an entry is
// written (the statements of record.ts, SQLite's writer thread, PostgreSQL's iterlab_write_drafts) is covered and a
// change is never committed without its deliveries. A row whose webhook_id is '' is the entry still to be matched
// against the webhooks; one naming a webhook is a delivery to it being tried again.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('entry_id', 'text', (c) => c.notNull())
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_deliveries_pk', ['entry_id', 'webhook_id'])
    .execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['next_at']).execute();
  if (postgres) {
    // Once per statement, not per row: iterlab_write_drafts inserts a batch's entries in one statement, and create
    // iteration's batches are PostgreSQL's bottleneck (bench/README.md, "Webhooks").
    await sql`
      create function iterlab_webhook_outbox() returns trigger language plpgsql as $function$
      begin
        if exists (select 1 from "webhooks" where "enabled" = 1) then
          insert into "webhook_deliveries" ("entry_id", "webhook_id", "attempts", "next_at") select "id", '', 0, 0 from inserted;
        end if;
        return null;
      end
      $function$`.execute(db);
    await sql`create trigger audit_log_webhooks after insert on "audit_log" referencing new table as inserted for each statement execute function iterlab_webhook_outbox()`.execute(db);
  } else {
    await sql`
      create trigger audit_log_webhooks after insert on "audit_log"
      when exists (select 1 from "webhooks" where "enabled" = 1)
      begin
        insert into "webhook_deliveries" ("entry_id", "webhook_id", "attempts", "next_at") values (new."id", '', 0, 0);
      end`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
