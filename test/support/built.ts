// iterlab as `npm start` runs it, for the tests that run it as a process of its own (shutdown, crash, the commands,
// several instances): the bundle `npm run build` makes (scripts/build.mjs), built once per test worker. It listens
// in ~1.2 s where the sources under tsx's loader took ~3, and these tests then run what is shipped.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Inside the repository, as dist/ is: the bundle's imports find node_modules, and its OpenAPI document the spec.
const BUILDS = path.join(ROOT, '.bench');
const PREFIX = 'test-build-';

let main: string | undefined;

/** node's arguments that run the iterlab command `args` (e.g. `serve`) from this worker's bundle. */
export function iterlabArgs(...args: string[]): string[] {
  if (!main) {
    removeOrphans();
    const dir = path.join(BUILDS, `${PREFIX}${process.pid}`);
    const file = path.join(dir, 'main.js');
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), file], { cwd: ROOT, stdio: 'pipe' });
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    main = file;
  }
  return [main, ...args];
}

/** The builds of workers that are gone (a worker ended by a signal does not run its exit handler). */
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
