// iterlab instances as child processes (`node <the bundle> serve`, as npm start runs it), and a cluster of them on
// one store.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { iterlabArgs } from './built.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface HttpResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export class Instance {
  /** Everything the process printed, for failure messages. */
  output = '';
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive = true;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    public url = '',
  ) {
    this.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        this.alive = false;
        resolve({ code, signal });
      }),
    );
    child.stdout?.on('data', (d) => (this.output += d));
    child.stderr?.on('data', (d) => (this.output += d));
  }

  /** Starts `iterlab serve` on a free port and resolves once it listens (rejects with its output if it exits). */
  static async spawn(name: string, env: Record<string, string>, root = ROOT): Promise<Instance> {
    const child = spawn(process.execPath, iterlabArgs('serve'), {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const instance = new Instance(name, child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s:\n${instance.output}`)), 60_000);
      const onData = () => {
        const match = /iterlab is listening on (http:\/\/\S+)/.exec(instance.output);
        if (!match) return;
        clearTimeout(timer);
        instance.url = match[1];
        child.stdout?.off('data', onData);
        resolve();
      };
      child.stdout?.on('data', onData);
      instance.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (code ${code}, signal ${signal}) before listening:\n${instance.output}`));
      });
    });
    return instance;
  }

  async call<T = any>(method: string, urlPath: string, options: CallOptions = {}): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = options.token;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.url}${urlPath}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    let body: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
    return { status: res.status, body: body as T, headers: res.headers };
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

/**
 * N instances on one store, driven round-robin like a load balancer would: next() skips instances that have
 * died. race() sends the same request through every live instance at once (for races between instances).
 */
export class Cluster {
  private turn = 0;

  private constructor(readonly instances: Instance[]) {}

  static async start(n: number, env: Record<string, string>, root = ROOT): Promise<Cluster> {
    const started = await Promise.allSettled(Array.from({ length: n }, (_, i) => Instance.spawn(`instance-${i + 1}`, env, root)));
    const instances = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      for (const i of instances) i.kill('SIGKILL');
      throw failed.reason;
    }
    return new Cluster(instances);
  }

  live(): Instance[] {
    return this.instances.filter((i) => i.alive);
  }

  next(): Instance {
    const live = this.live();
    if (live.length === 0) throw new Error('no instance is alive');
    return live[this.turn++ % live.length];
  }

  /** Another live instance than `not` (the next in turn). */
  other(not: Instance): Instance {
    const candidates = this.live().filter((i) => i !== not);
    if (candidates.length === 0) throw new Error('no other instance is alive');
    return candidates[this.turn++ % candidates.length];
  }

  race<T = any>(method: string, urlPath: string, options: CallOptions = {}): Promise<HttpResponse<T>[]> {
    return Promise.all(this.live().map((i) => i.call<T>(method, urlPath, options)));
  }

  async close(): Promise<void> {
    for (const i of this.live()) i.kill('SIGTERM');
    await Promise.all(this.instances.map((i) => i.exited));
  }
}
