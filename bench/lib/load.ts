// One measurement: a load generator (autocannon or wrk) in its own process against a URL, with the server's RSS sampled.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLOCK_TICKS_PER_SECOND, cpuTime, nodeTs, ROOT, sampleRss } from './processes.js';

export type Tool = 'autocannon' | 'wrk';

export interface LoadSpec {
  url: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** A placeholder in body replaced by a value unique to each request (keys of created resources). */
  unique?: string;
  connections: number;
  seconds: number;
  warmupSeconds: number;
}

export interface LoadResult {
  tool: Tool;
  requests: number;
  seconds: number;
  rps: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  /** Non-2xx responses, socket errors and timeouts. */
  errors: number;
  statuses: Record<string, number>;
}

export interface Measured extends LoadResult {
  /** Largest RSS of the server process seen during the measurement, in bytes. */
  rssMax: number;
  rssSamples: number[];
  /**
   * The server's CPU time per answered request during the measurement, in µs: all its threads, and its main thread
   * (the event loop) alone. Less noisy than requests/s where other processes share the cores.
   */
  cpuUs?: { total: number; main: number; system: number };
}

function collect(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited with ${code}: ${err || out}`))));
  });
}

async function autocannonRun(spec: LoadSpec): Promise<LoadResult> {
  const { command, args } = nodeTs('bench/loadgen.ts');
  const out = await collect(command, [...args, JSON.stringify(spec)]);
  return JSON.parse(out.trim().split('\n').pop()!) as LoadResult;
}

export function wrkAvailable(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    // wrk --version prints its banner and exits 1; only a missing binary is ENOENT.
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

const luaString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/** wrk with one thread; a Lua script sets the request and prints a JSON summary (latencies in µs). */
async function wrkRun(spec: LoadSpec): Promise<LoadResult> {
  const headers = Object.entries(spec.headers)
    .map(([k, v]) => `wrk.headers[${luaString(k)}] = ${luaString(v)}`)
    .join('\n');
  const unique = spec.unique && spec.body !== undefined;
  const script = `
wrk.method = ${luaString(spec.method)}
${spec.body !== undefined ? `wrk.body = ${luaString(spec.body)}` : ''}
${headers}
local n = 0
local prefix = "wrk" .. tostring(os.time()) .. tostring(math.random(1000000)) .. "-"
${
  unique
    ? `request = function()
  n = n + 1
  local body = string.gsub(wrk.body, ${luaString(spec.unique!.replace(/[%^$().[\]*+\-?]/g, '%$&'))}, prefix .. n)
  return wrk.format(nil, ${luaString(spec.path)}, nil, body)
end`
    : `wrk.path = ${luaString(spec.path)}`
}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"us":%d,"p50":%d,"p99":%d,"errors":%d}\\n', summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout))
end
`;
  const file = path.join(os.tmpdir(), `iterlab-bench-${process.pid}-${Date.now()}.lua`);
  fs.writeFileSync(file, script);
  try {
    const base = ['-t1', `-c${spec.connections}`, '--timeout', '10s', '-s', file];
    const out = await collect('wrk', [...base, `-d${spec.seconds}s`, spec.url]);
    const line = out.split('\n').find((l) => l.startsWith('{"requests"'));
    if (!line) throw new Error(`wrk printed no summary: ${out}`);
    const r = JSON.parse(line) as { requests: number; us: number; p50: number; p99: number; errors: number };
    return { tool: 'wrk', requests: r.requests, seconds: r.us / 1e6, rps: r.requests / (r.us / 1e6), p50: r.p50 / 1000, p99: r.p99 / 1000, errors: r.errors, statuses: {} };
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Loads spec with tool (after its warm-up, a run of its own) while sampling serverPid's RSS and CPU time. */
export async function measure(tool: Tool, spec: LoadSpec, serverPid: number): Promise<Measured> {
  const run = (s: LoadSpec) => (tool === 'wrk' ? wrkRun(s) : autocannonRun(s));
  if (spec.warmupSeconds > 0) await run({ ...spec, seconds: spec.warmupSeconds, warmupSeconds: 0 });
  const sampler = sampleRss(serverPid, 250);
  try {
    const before = cpuTime(serverPid);
    const result = await run({ ...spec, warmupSeconds: 0 });
    const after = cpuTime(serverPid);
    const rssSamples = sampler.stop();
    const perRequest = (ticks: number) => (1e6 * ticks) / CLOCK_TICKS_PER_SECOND / Math.max(1, result.requests);
    const cpuUs = before && after ? { total: perRequest(after.total - before.total), main: perRequest(after.main - before.main), system: perRequest(after.system - before.system) } : undefined;
    return { ...result, rssMax: Math.max(0, ...rssSamples), rssSamples, ...(cpuUs ? { cpuUs } : {}) };
  } catch (err) {
    sampler.stop();
    throw err;
  }
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
