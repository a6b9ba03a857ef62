#!/usr/bin/env node
// Command line: `iterlab serve` (default), `iterlab migrate`, `iterlab export [file]`, `iterlab import <file>`,
// `iterlab ip-allowlist-off`.
import fs from 'node:fs';
import path from 'node:path';
import { buildApp } from './app.js';
import { ConfigError, databaseKind, loadConfig, type Config } from './config.js';
import { Store } from './store/db.js';
import { exportStore, importStore, ImportError } from './store/exportImport.js';
import { openChangeBus } from './store/changes.js';
import { turnOffTokenAllowlist } from './resources/ip-allowlist/recovery.js';

function fail(message: string): never {
  process.stderr.write(`iterlab: ${message}\n`);
  process.exit(1);
}

async function serve(config: Config): Promise<void> {
  const { app, generatedAdminToken } = await buildApp(config);
  const address = await app.listen({ port: config.port, host: config.host });
  const url = address.replace('[::1]', 'localhost');
  const lines = [
    `iterlab is listening on ${url} (store: ${databaseKind(config.databaseUrl)} ${config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@')})`,
    `  REST API: ${url}/api/v2`,
  ];
  if (generatedAdminToken) {
    lines.push(
      `  An admin access token was generated for this new store. It is shown only this once; keep it:`,
      ``,
      `      ${generatedAdminToken}`,
      ``,
      `  Authenticate with the header  Authorization: ${generatedAdminToken}`,
    );
  } else if (config.adminToken) {
    lines.push('  Authenticate with the header  Authorization: <the value of ITERLAB_ADMIN_TOKEN>');
  } else {
    lines.push('  Authenticate with the header  Authorization: <an access token of this store>');
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  // SIGTERM: stop accepting connections, let in-flight requests finish (at most SHUTDOWN_GRACE_MS), close the
  // change bus, Redis and the database pool, exit 0. A second signal changes nothing; the grace period decides.
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down: no new connections; finishing in-flight requests');
    if (config.shutdownGraceMs > 0) {
      setTimeout(() => {
        process.stderr.write(`iterlab: requests still in flight ${config.shutdownGraceMs} ms after ${signal} (SHUTDOWN_GRACE_MS); exiting without them\n`);
        process.exit(1);
      }, config.shutdownGraceMs).unref();
    }
    // A keep-alive connection whose request finishes during shutdown would otherwise hold the server open
    // until the client or the keep-alive timeout closes it: close each one as soon as it turns idle.
    setInterval(() => app.server.closeIdleConnections(), 100).unref();
    app
      .close()
      .then(() => {
        app.log.info({ signal }, 'shut down cleanly');
        process.exit(0);
      })
      .catch((err) => {
        process.stderr.write(`iterlab: error while shutting down: ${String(err)}\n`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

async function migrate(config: Config): Promise<void> {
  const store = Store.open(config.databaseUrl);
  await store.migrate();
  await store.close();
  process.stdout.write('iterlab: schema is up to date\n');
}

/** Opens an existing store only: a mistyped SQLite path must not silently create an empty database. */
function openExisting(config: Config): Store {
  const file = config.databaseUrl.startsWith('sqlite:') ? config.databaseUrl.slice('sqlite:'.length) : undefined;
  if (file !== undefined && file !== ':memory:' && !fs.existsSync(file)) fail(`there is no SQLite database at ${file}`);
  return Store.open(config.databaseUrl);
}

/** The whole store as one JSON document, to `file` (written whole, then renamed into place) or stdout. */
async function exportCommand(config: Config, file: string | undefined): Promise<void> {
  const store = openExisting(config);
  try {
    const doc = await exportStore(store);
    const text = `${JSON.stringify(doc)}\n`;
    const rows = Object.values(doc.tables).reduce((n, t) => n + t.rows.length, 0);
    if (file === undefined || file === '-') {
      await new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
    } else {
      const partial = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.partial`);
      const fd = fs.openSync(partial, 'w');
      try {
        fs.writeSync(fd, text);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(partial, file);
    }
    process.stderr.write(`iterlab: exported ${rows} rows from ${Object.keys(doc.tables).length} tables (schema ${doc.migrations.join(', ')})${file && file !== '-' ? ` to ${file}` : ''}\n`);
  } finally {
    await store.close();
  }
}

async function importCommand(config: Config, file: string | undefined): Promise<void> {
  if (!file) fail('import needs a file: iterlab import <file>');
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    fail(`cannot read ${file} as JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const store = Store.open(config.databaseUrl);
  try {
    const result = await importStore(store, doc);
    process.stdout.write(`iterlab: imported ${result.rows} rows into ${result.tables} tables from ${file}\n`);
  } catch (err) {
    if (err instanceof ImportError) fail(`import refused: ${err.message}`);
    throw err;
  } finally {
    await store.close();
  }
}

/** Turns the IP allowlist's enforcement for access tokens off, for an operator it locked out. */
async function ipAllowlistOff(config: Config): Promise<void> {
  const store = openExisting(config);
  const quiet = { info() {}, warn() {} };
  try {
    await store.migrate();
    const bus = await openChangeBus(store, quiet);
    try {
      const changed = await turnOffTokenAllowlist(store, bus, Date.now());
      process.stdout.write(changed ? 'iterlab: the IP allowlist no longer applies to access tokens (its entries are kept)\n' : 'iterlab: the IP allowlist was not enforced for access tokens; nothing changed\n');
    } finally {
      await bus.close();
    }
  } finally {
    await store.close();
  }
}

async function main(argv: string[]): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(`configuration error: ${err.message}`);
    throw err;
  }
  const command = argv[0] ?? 'serve';
  switch (command) {
    case 'serve':
      return serve(config);
    case 'migrate':
      return migrate(config);
    case 'export':
      return exportCommand(config, argv[1]);
    case 'import':
      return importCommand(config, argv[1]);
    case 'ip-allowlist-off':
      return ipAllowlistOff(config);
    default:
      fail(`unknown command "${command}"; use serve, migrate, export [file], import <file> or ip-allowlist-off`);
  }
}

main(process.argv.slice(2)).catch((err) => fail(err instanceof Error ? err.message : String(err)));
