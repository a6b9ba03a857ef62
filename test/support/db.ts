// Test databases: a fresh SQLite file or PostgreSQL database per server (dropped afterwards).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export type TestDb = 'sqlite' | 'postgres';

export const testDb: TestDb = process.env.ITERLAB_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

export const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * An empty database, or with `template` (a database URL, as the migrated templates in serverDatabase.ts) a copy of
 * that one: a copied SQLite file, or a PostgreSQL database created from it as its template.
 */
export async function freshDatabase(kind: TestDb = testDb, template?: string): Promise<FreshDatabase> {
  if (kind === 'sqlite') {
    // A file, as iterlab serves one: WAL, and reads on their own connection beside the writer's transactions.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iterlab-test-'));
    const file = path.join(dir, 'iterlab.db');
    if (template) fs.copyFileSync(template.slice('sqlite:'.length), file);
    return { url: `sqlite:${file}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const templateName = template ? databaseName(template) : undefined;
  const name = `${templateName ?? 'iterlab_t'}_${crypto.randomBytes(6).toString('hex')}`;
  await asAdmin(`create database ${name}${templateName ? ` template ${templateName}` : ''}`);
  const url = withDatabase(ADMIN_DATABASE_URL, name);
  return { url, drop: () => dropDatabase(url) };
}

export function databaseName(url: string): string {
  return new URL(url).pathname.slice(1);
}

export async function dropDatabase(url: string): Promise<void> {
  await asAdmin(`drop database if exists ${databaseName(url)} with (force)`);
}

/** Runs one statement on the admin database (creating and dropping databases cannot run inside the database). */
export async function asAdmin(statement: string): Promise<pg.QueryResult> {
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    return await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** True when PostgreSQL answers at the test URL. */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
