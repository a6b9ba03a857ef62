// Environment variables -> one typed Config; a bad value stops start-up with a message naming it.

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  adminToken: string | undefined;
  rateLimitGlobalPer10s: number;
  rateLimitRoutePer10s: number;
  bodyLimitBytes: number;
  /** Largest SDK analytics payload (POST /bulk), inflated: SDKs flush up to 10,000 events at once. */
  eventsBodyLimitBytes: number;
  /** Days the SDKs' analytics events are kept (by when they were received); 0 keeps them until their environment goes. */
  eventsRetentionDays: number;
  logLevel: string;
  /** Idle/slow clients are cut off after this many ms (headers and body). */
  requestTimeoutMs: number;
  databasePoolSize: number;
  statementTimeoutMs: number;
  /** A pooled PostgreSQL connection idle this long is closed (0: never). */
  databaseIdleTimeoutMs: number;
  /** Waiting longer than this for a PostgreSQL connection (new or from a full pool) fails the request with a 503. */
  databaseConnectTimeoutMs: number;
  redisUrl: string | undefined;
  /** Prefixes every Redis key, so several deployments (or test runs) can share one Redis. */
  redisKeyPrefix: string;
  /** A Redis call slower than this is treated as Redis being down: the request is served unlimited. */
  redisTimeoutMs: number;
  /** On SIGTERM/SIGINT, in-flight requests get this long to finish before the process exits anyway (exit 1). */
  shutdownGraceMs: number;
  /** How often the access tokens' last uses are written (0: only on shutdown; each instance shows its own at once). */
  tokenUsageFlushMs: number;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) {
    throw new ConfigError(`${name} must be a whole number between ${min} and ${max}, got "${raw}"`);
  }
  const value = Number(raw.trim());
  if (value < min || value > max) {
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function databaseKind(url: string): 'sqlite' | 'postgres' {
  return url.startsWith('sqlite:') ? 'sqlite' : 'postgres';
}

function databaseUrl(env: Env): string {
  const url = env.DATABASE_URL?.trim() || 'sqlite:./data/iterlab.db';
  if (url.startsWith('sqlite:')) {
    if (url === 'sqlite:') throw new ConfigError('DATABASE_URL "sqlite:" needs a path, e.g. sqlite:./data/iterlab.db or sqlite::memory:');
    return url;
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new ConfigError(`DATABASE_URL is not a valid postgres:// URL: "${url}"`);
    }
    return url;
  }
  throw new ConfigError(`DATABASE_URL must start with sqlite: or postgres://, got "${url}"`);
}

function redisKeyPrefix(env: Env): string {
  const prefix = env.REDIS_KEY_PREFIX ?? 'iterlab:';
  if (prefix.length > 100 || /\s/.test(prefix)) {
    throw new ConfigError(`REDIS_KEY_PREFIX must be at most 100 characters with no whitespace, got "${prefix}"`);
  }
  return prefix;
}

export function loadConfig(env: Env = process.env): Config {
  const host = env.HOST?.trim() || '127.0.0.1';
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const adminToken = env.ITERLAB_ADMIN_TOKEN === undefined || env.ITERLAB_ADMIN_TOKEN === '' ? undefined : env.ITERLAB_ADMIN_TOKEN;
  if (adminToken !== undefined && (adminToken.length < 8 || /\s/.test(adminToken))) {
    throw new ConfigError('ITERLAB_ADMIN_TOKEN must be at least 8 characters with no whitespace');
  }
  const redisUrl = env.REDIS_URL?.trim() || undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError(`REDIS_URL must start with redis:// or rediss://, got "${redisUrl}"`);
  }
  return {
    port: integer(env, 'PORT', 8030, 0, 65535),
    host,
    databaseUrl: databaseUrl(env),
    adminToken,
    rateLimitGlobalPer10s: integer(env, 'RATE_LIMIT_GLOBAL_PER_10S', 100_000, 0, 1_000_000_000),
    rateLimitRoutePer10s: integer(env, 'RATE_LIMIT_ROUTE_PER_10S', 50_000, 0, 1_000_000_000),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    eventsBodyLimitBytes: integer(env, 'EVENTS_BODY_LIMIT_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    eventsRetentionDays: integer(env, 'EVENTS_RETENTION_DAYS', 0, 0, 36_500),
    logLevel,
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000),
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 1000),
    statementTimeoutMs: integer(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 15_000, 0, 3_600_000),
    databaseIdleTimeoutMs: integer(env, 'DATABASE_IDLE_TIMEOUT_MS', 30_000, 0, 3_600_000),
    databaseConnectTimeoutMs: integer(env, 'DATABASE_CONNECT_TIMEOUT_MS', 10_000, 0, 3_600_000),
    redisUrl,
    redisKeyPrefix: redisKeyPrefix(env),
    redisTimeoutMs: integer(env, 'REDIS_TIMEOUT_MS', 500, 10, 60_000),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 25_000, 0, 3_600_000),
    tokenUsageFlushMs: integer(env, 'TOKEN_USAGE_FLUSH_MS', 60_000, 0, 86_400_000),
  };
}
