// `npm run build`: the server as one ES module, dist/main.js (with its source map), bundled by esbuild from
// src/main.ts. Packages stay imports of node_modules. One file loads ~0.5 s sooner than tsc's ~700 modules did, and
// bundling takes under a second where tsc took ~25 s (bench/README.md, 47). Types are checked by `npm test`
// (`npm run typecheck`), not here; the tests run the sources through the same esbuild transform (tsx).
// Usage: node scripts/build.mjs [outfile]   (bench/lib/iterlab.ts builds into a directory of its own)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [path.join(root, 'src/main.ts')],
  outfile: path.resolve(process.argv[2] ?? path.join(root, 'dist/main.js')),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
