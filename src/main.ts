#!/usr/bin/env node
// Command line: `iterlab serve` (default) starts the server; `iterlab migrate` only brings the schema up to date.
import { buildApp } from './app.js';
import { ConfigError, databaseKind, loadConfig, type Config } from './config.js';
import { Store } from './store/db.js';

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
    default:
      fail(`unknown command "${command}"; use serve or migrate`);
  }
}

main(process.argv.slice(2)).catch((err) => fail(err instanceof Error ? err.message : String(err)));
