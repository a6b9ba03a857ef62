// Background jobs every instance runs (scheduled removals of targets, bandit reallocations): a timer that runs one
// pass at a time, never two at once, and is waited for when the app closes.
import type { FastifyInstance } from 'fastify';

export function startJob(app: FastifyInstance, intervalMs: number, pass: () => Promise<unknown>, failure: string): void {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(pass).catch((err: unknown) => app.log.warn({ err }, failure));
  }, intervalMs).unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
}
