import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RequestDurations } from './requestDurations.js';

const BOUNDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const NAME = 'iterlab_http_request_duration_seconds';
const HELP = 'HTTP requests by route pattern, method and status';

describe('RequestDurations', () => {
  it('renders exactly as a prom-client Histogram of the same observations', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const durations = new RequestDurations(NAME, HELP, BOUNDS, ours);
    const histogram = new Histogram({ name: NAME, help: HELP, labelNames: ['route', 'method', 'status'], buckets: BOUNDS, registers: [theirs] });
    // On a bound, between bounds, above every bound, and zero; three series.
    const observations: [string, string, number, number][] = [
      ['/api/v2/projects/:projectKey', 'GET', 200, 0.0025],
      ['/api/v2/projects/:projectKey', 'GET', 200, 0.0031],
      ['/api/v2/projects/:projectKey', 'GET', 404, 12.5],
      ['unmatched', 'POST', 404, 0],
      ['/api/v2/projects/:projectKey', 'GET', 200, 0.7],
    ];
    for (const [route, method, status, seconds] of observations) {
      durations.observe(route, method, status, seconds);
      histogram.observe({ route, method, status: String(status) }, seconds);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.metrics()).toContain(`${NAME}_count{route="/api/v2/projects/:projectKey",method="GET",status="200"} 3`);
    expect(await ours.metrics()).toContain(`${NAME}_bucket{le="0.0025",route="/api/v2/projects/:projectKey",method="GET",status="200"} 1`);
    expect(await ours.metrics()).toContain(`${NAME}_bucket{le="+Inf",route="/api/v2/projects/:projectKey",method="GET",status="404"} 1`);
  });

  it('empties with the registry', async () => {
    const registry = new Registry();
    const durations = new RequestDurations(NAME, HELP, BOUNDS, registry);
    durations.observe('unmatched', 'GET', 404, 0.01);
    registry.resetMetrics();
    expect(await registry.metrics()).not.toContain(`${NAME}_count`);
  });
});
