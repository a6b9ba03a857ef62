// The processes a run starts (iterlab, the bare-Fastify ceiling, Prism, the load generator), their readiness and their RSS.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Started {
  name: string;
  child: ChildProcess;
  url: string;
  /** Everything the process wrote, for the error message when it dies. */
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resident set size of pid in bytes, from /proc (Linux); undefined once it has exited. */
export function rssBytes(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU time of a process (user + system, every thread), of its main thread alone, and the system part of the
 * first, from /proc (Linux), in clock ticks. The kernel scales a process's total and a thread's times apart, so a thread
 * may show a tick more than its whole process.
 */
export interface CpuTime {
  total: number;
  main: number;
  /** The part of total spent in the kernel (socket writes, file writes, futexes). */
  system: number;
}

// USER_HZ, the unit of /proc/*/stat times: 100 on every Linux Node runs on (getconf CLK_TCK).
export const CLOCK_TICKS_PER_SECOND = 100;

/** [user, system] ticks of a process or thread (`/proc/<pid>/stat`, `/proc/<pid>/task/<tid>/stat`). */
export function statTicks(file: string): [number, number] | undefined {
  try {
    // The fields after the command's ")" (which may itself hold spaces): utime and stime are the 12th and 13th.
    const fields = fs.readFileSync(file, 'utf8').split(') ')[1].split(' ');
    return [Number(fields[11]), Number(fields[12])];
  } catch {
    return undefined;
  }
}

/** The pid's CPU time so far; undefined once it has exited. */
export function cpuTime(pid: number): CpuTime | undefined {
  const all = statTicks(`/proc/${pid}/stat`);
  const main = statTicks(`/proc/${pid}/task/${pid}/stat`);
  return all === undefined || main === undefined ? undefined : { total: all[0] + all[1], main: main[0] + main[1], system: all[1] };
}

/** Samples a pid's RSS every intervalMs until stopped; returns the samples taken. */
export function sampleRss(pid: number, intervalMs: number): { stop(): number[] } {
  const samples: number[] = [];
  const take = () => {
    const rss = rssBytes(pid);
    if (rss !== undefined) samples.push(rss);
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

async function waitForHttp(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode} before answering at ${url}:\n${output()}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`nothing answered at ${url} within ${timeoutMs} ms:\n${output()}`);
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  port: number;
  /** A path that answers (any status) once the process is ready. */
  readyPath?: string;
  timeoutMs?: number;
}

/** Starts a process that listens on options.port and resolves once it answers HTTP. */
export async function start(options: StartOptions): Promise<Started> {
  let log = '';
  const child = spawn(options.command, options.args, {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Drained so a chatty process (Prism logs every request) never blocks on a full pipe; only the tail is kept.
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForHttp(url + (options.readyPath ?? '/'), child, () => log, options.timeoutMs ?? 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { name: options.name, child, url, output: () => log, stop };
}

/** node with tsx's loader, so TypeScript sources run as they are (the transpile happens once, at load). */
export function nodeTs(script: string, extra: string[] = []): { command: string; args: string[] } {
  return { command: process.execPath, args: [...extra, '--import', 'tsx', path.join(ROOT, script)] };
}
