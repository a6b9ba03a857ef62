// Background jobs every instance runs (scheduled removals of targets, bandit reallocations, webhook deliveries): a
// timer that runs one pass at a time (a tick that finds the last pass still running is skipped, so slow passes do
// not queue up). When the app closes, the pass under way is told (its signal aborts) and waited for, while the store
// is still open: in preClose, since Fastify runs onClose hooks in the reverse order of their registration, and the
// store's close was registered after the jobs. A pass stops between rows once told: a hook may take at most
// Fastify's pluginTimeout (10 s), after which the store closes anyway.
import { setMaxListeners } from 'node:events';
import type { FastifyInstance } from 'fastify';

/** The logger a job reports a failing row to (app.log, or a test's). */
export interface JobLog {
  warn(obj: object, msg: string): void;
}

export function startJob(app: FastifyInstance, intervalMs: number, pass: (closing: AbortSignal) => Promise<unknown>, failure: string): void {
  const closing = new AbortController();
  // Every POST of a webhook batch listens to it.
  setMaxListeners(0, closing.signal);
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = pass(closing.signal)
      .catch((err: unknown) => app.log.warn({ err }, failure))
      .finally(() => (running = undefined));
  }, intervalMs).unref();
  app.addHook('preClose', async () => {
    clearInterval(timer);
    closing.abort();
    await running;
  });
}
