// PostgreSQL only: iterlab_write_drafts, create iteration's folded writes of one experiment as one statement.
//
// A round trip to PostgreSQL costs more than the statements it carries, and the experiment's row lock is held
// from the first of them to the commit. Called outside a transaction, the function is the transaction: one round
// trip locks, checks, writes and commits. It writes nothing unless everything the calls were validated against is
// as they saw it (the experiment, not archived and not renamed; every flag's stored text), and says 'changed'
// instead: iterlab then writes them as any other transaction would, where the calls are validated again. The change
// notice for the other instances goes in the same transaction (batch.notify), and the function answers who listened.
// SQLite has no round trips to save, and nothing is created there.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  // Each statement of a volatile function takes a fresh snapshot: the flags are read after the lock is held.
  await sql`
    create function iterlab_write_drafts(batch jsonb) returns jsonb language plpgsql volatile as $function$
    declare
      experiment record;
      prefix text := batch->'notify'->>'listenerPrefix';
    begin
      select "id", "name", "archived_date" into experiment from "experiments" where "id" = batch->>'experimentId' for update;
      if not found or experiment."name" is distinct from batch->>'experimentName' or experiment."archived_date" is not null then
        return jsonb_build_object('outcome', 'changed');
      end if;
      if exists (
        select 1
        from jsonb_to_recordset(batch->'flags') as seen("key" text, "doc" text, "config" text)
        left join "flags" f on f."project_id" = batch->>'projectId' and f."key" = seen."key"
        left join "flag_configs" c on c."flag_id" = f."id" and c."environment_id" = batch->>'environmentId'
        where f."doc" is distinct from seen."doc" or c."doc" is distinct from seen."config"
      ) then
        return jsonb_build_object('outcome', 'changed');
      end if;
      delete from "iterations" where "experiment_id" = experiment."id" and "status" = 'not_started';
      insert into "iterations" ("id", "experiment_id", "status", "doc", "created_at", "started_at")
        values (batch->'draft'->>'id', experiment."id", 'not_started', batch->'draft'->>'doc', (batch->'draft'->>'createdAt')::bigint, null);
      insert into "experiment_refs" ("experiment_id", "iteration_id", "kind", "key")
        select experiment."id", batch->'draft'->>'id', ref->>0, ref->>1 from jsonb_array_elements(batch->'draft'->'refs') as ref;
      insert into "audit_log" ("id", "date", "member_id", "token_id", "kind", "resource", "project_key", "doc")
        select a."id", a."date", a."member_id", a."token_id", a."kind", a."resource", a."project_key", a."doc"
        from jsonb_to_recordset(batch->'audits') as a("id" text, "date" bigint, "member_id" text, "token_id" text, "kind" text, "resource" text, "project_key" text, "doc" text);
      if prefix is null then
        return jsonb_build_object('outcome', 'written');
      end if;
      perform pg_notify(batch->'notify'->>'channel', batch->'notify'->>'payload');
      return jsonb_build_object('outcome', 'written', 'listeners', array(
        select substr("application_name", length(prefix) + 1) from pg_stat_activity
        where "datname" = current_database() and starts_with("application_name", prefix)
      ));
    end
    $function$
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
