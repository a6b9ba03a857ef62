// iterlab as `npm start` runs it, for the tests that run it as a process of its own (shutdown, crash, the commands,
// several instances): the bundle `npm run build` makes, built once per test worker by the bench's own buildIterlab
// (into .bench/build-<pid>, inside the repository, so that its imports find node_modules and it finds the spec). It
// listens in ~1.2 s where the sources under tsx's loader took ~3, and these tests then run what is shipped.
import fs from 'node:fs';
import path from 'node:path';
import { buildIterlab } from '../../bench/lib/iterlab.js';
import { ROOT } from '../../bench/lib/processes.js';

const BUILDS = path.join(ROOT, '.bench');
const PREFIX = 'build-';

let main: string | undefined;

/** node's arguments that run the iterlab command `args` (e.g. `serve`) from this worker's bundle. */
export function iterlabArgs(...args: string[]): string[] {
  if (!main) {
    removeOrphans();
    const build = buildIterlab();
    process.once('exit', () => build.remove());
    main = build.main;
  }
  return [main, ...args];
}

/** The builds of processes that are gone (a test worker ended by a signal does not run its exit handler). */
function removeOrphans(): void {
  for (const name of fs.existsSync(BUILDS) ? fs.readdirSync(BUILDS) : []) {
    const pid = Number(name.startsWith(PREFIX) ? name.slice(PREFIX.length) : NaN);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch {
      fs.rmSync(path.join(BUILDS, name), { recursive: true, force: true });
    }
  }
}
