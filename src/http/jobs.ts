// Background jobs every instance runs (scheduled removals of targets, bandit reallocations): a timer that runs one
// pass at a time (a tick that finds the last pass still running is skipped, so slow passes do not queue up), and is
// waited for when the app closes.
import type { FastifyInstance } from 'fastify';

export function startJob(app: FastifyInstance, intervalMs: number, pass: () => Promise<unknown>, failure: string): void {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = pass()
      .catch((err: unknown) => app.log.warn({ err }, failure))
      .finally(() => (running = undefined));
  }, intervalMs).unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
}
