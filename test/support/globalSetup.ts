// Once per project and run: a directory where test workers record the error statuses operations answered with
// although the spec does not list them (they pass when the body is LaunchDarkly's {code, message}), written to a
// file when the run ends; and the migrated database test servers start on a copy of (serverDatabase.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import type { TestDb } from './db.js';
import { provideTemplate } from './serverDatabase.js';

declare module 'vitest' {
  export interface ProvidedContext {
    conformanceDir: string;
  }
}

interface Line {
  db: string;
  file?: string;
  seen: [string, number][];
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iterlab-conformance-'));
  project.provide('conformanceDir', dir);
  const dropTemplate = await provideTemplate(project, project.config.env.ITERLAB_TEST_DB as TestDb);
  return async () => {
    await dropTemplate();
    const byStatus = new Map<string, { count: number; dbs: Set<string>; files: Set<string> }>();
    for (const name of fs.readdirSync(dir)) {
      for (const text of fs.readFileSync(path.join(dir, name), 'utf8').split('\n').filter(Boolean)) {
        const line = JSON.parse(text) as Line;
        for (const [key, count] of line.seen) {
          const entry = byStatus.get(key) ?? { count: 0, dbs: new Set(), files: new Set() };
          entry.count += count;
          entry.dbs.add(line.db);
          if (line.file) entry.files.add(line.file);
          byStatus.set(key, entry);
        }
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
    if (byStatus.size === 0) return;
    const rows = [...byStatus].sort(([a], [b]) => a.localeCompare(b));
    const lines = rows.map(([key, e]) => `  ${key.padEnd(34)} ×${String(e.count).padEnd(6)} (${[...e.dbs].sort().join(', ')}) e.g. ${[...e.files].sort().slice(0, 3).join(', ')}`);
    // The list runs to hundreds of lines; printed, it pushed the failures and the summary out of the tail of a CI log.
    const db = String(project.config.env.ITERLAB_TEST_DB);
    const report = path.join(os.tmpdir(), `iterlab-undocumented-statuses-${db}.txt`);
    fs.writeFileSync(report, `Error statuses answered although the operation's spec entry does not list them (bodies were checked as {code, message}):\n${lines.join('\n')}\n`);
    console.log(`${db}: ${rows.length} undocumented error statuses, each with a {code, message} body; listed in ${report}`);
  };
}
