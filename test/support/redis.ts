// The test Redis: REDIS_URL_FOR_TESTS or 127.0.0.1:6379; each test gets its own key prefix.
import crypto from 'node:crypto';
import net from 'node:net';

export const REDIS_URL_FOR_TESTS = process.env.REDIS_URL_FOR_TESTS || 'redis://127.0.0.1:6379';

/** A prefix no other test (or run) uses, so tests share one Redis without seeing each other's counters. */
export function uniquePrefix(label = 't'): string {
  return `iterlab-test:${label}:${crypto.randomBytes(6).toString('hex')}:`;
}

let probed: Promise<boolean> | undefined;

/**
 * True when Redis answers PING. Where it must (CI, or REDIS_URL_FOR_TESTS set) a missing Redis is an error,
 * not a skip.
 */
export function redisAvailable(): Promise<boolean> {
  probed ??= new Promise<boolean>((resolve) => {
    const url = new URL(REDIS_URL_FOR_TESTS);
    const socket = net.connect({ host: url.hostname, port: Number(url.port || 6379) });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(2000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
  }).then((up) => {
    if (!up && (process.env.CI || process.env.REDIS_URL_FOR_TESTS)) {
      throw new Error(`Redis is not reachable at ${REDIS_URL_FOR_TESTS}, and this run requires it`);
    }
    if (!up) process.stderr.write(`\n!!! Redis is not reachable at ${REDIS_URL_FOR_TESTS}: SKIPPING the tests that need it\n\n`);
    return up;
  });
  return probed;
}
