// The load generator, run in its own process so that it is not the server's event loop: autocannon with the
// request given as JSON in argv[2]; prints one JSON line of results. Latency percentiles come from every
// response's own time (autocannon's histogram keeps whole milliseconds only).
import autocannon from 'autocannon';
import type { LoadSpec, LoadResult } from './lib/load.js';

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function fire(spec: LoadSpec, seconds: number, prefix: string): Promise<LoadResult> {
  let n = 0;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const request: autocannon.Request = { method: spec.method as autocannon.Request['method'], path: spec.path, headers: spec.headers };
  if (spec.body !== undefined) request.body = spec.body;
  if (spec.body !== undefined && spec.unique) {
    const [template, placeholder] = [spec.body, spec.unique];
    request.setupRequest = (req) => ({ ...req, body: template.replaceAll(placeholder, `${prefix}${n++}`) });
  }
  const started = process.hrtime.bigint();
  // autocannon's promise is also its event emitter (its typings give only the promise).
  const instance = autocannon({ url: spec.url, connections: spec.connections, duration: seconds, requests: [request], timeout: 10 }) as unknown as Promise<autocannon.Result> &
    autocannon.Instance;
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const sorted = Float64Array.from(latencies).sort();
  const responses = latencies.length;
  const bad = Object.entries(statuses).reduce((sum, [code, count]) => (Number(code) >= 200 && Number(code) < 300 ? sum : sum + count), 0);
  return {
    tool: 'autocannon',
    requests: responses,
    seconds: elapsed,
    rps: responses / elapsed,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    errors: bad + result.errors + result.timeouts,
    statuses,
  };
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]) as LoadSpec;
  const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;
  // The warm-up is a run of its own (measure, in lib/load.ts), so that the server's CPU time is sampled around this one.
  const result = await fire(spec, spec.seconds, `m${run}-`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err) => {
  process.stderr.write(`loadgen: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
