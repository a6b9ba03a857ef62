// Summarises a V8 .cpuprofile (from `npm run bench -- --cpu-prof`): self time by function and by package/file,
// and inclusive time for the functions named on the command line.
// Usage: tsx bench/profile-summary.ts file.cpuprofile [top=30] [inclusive-name ...]
// Only the loaded stretches count: the seconds in which the process was busy at least half the time (a run's
// profile also covers start-up, seeding, and the idle time while the ceiling and Prism are measured); shares are of
// the busy time within them. PROFILE_ALL=1 counts every sample.
import fs from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg, ...inclusiveNames] = process.argv.slice(2);
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const top = Number(topArg ?? 30);
const add = <K>(m: Map<K, number>, k: K, v: number) => m.set(k, (m.get(k) ?? 0) + v);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const idleIds = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
const second = (us: number) => Math.floor(us / 1e6);
const busyBySecond = new Map<number, number>();
let clock = 0;
const at = profile.samples.map((id, i) => {
  clock += profile.timeDeltas[i] ?? 0;
  if (!idleIds.has(id)) add(busyBySecond, second(clock), profile.timeDeltas[i] ?? 0);
  return clock;
});
const all = process.env.PROFILE_ALL === '1';
const loaded = (busy: number) => busy >= 0.5e6;
const counted = (id: number, i: number) => all || (!idleIds.has(id) && loaded(busyBySecond.get(second(at[i])) ?? 0));
const loadedSeconds = [...busyBySecond.values()].filter(loaded).length;

const self = new Map<number, number>();
profile.samples.forEach((id, i) => {
  if (counted(id, i)) add(self, id, profile.timeDeltas[i] ?? 0);
});
const total = [...self.values()].reduce((a, b) => a + b, 0);

function where(url: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const src = /\/(src|dist|\.bench\/build-\d+)\/(.*)$/.exec(url);
  if (src) return `iterlab:${src[2]}`;
  return url.startsWith('node:') ? url : url === '' ? '(native/gc)' : url.split('/').slice(-2).join('/');
}

const fnSelf = new Map<string, number>();
const fileSelf = new Map<string, number>();
for (const [id, t] of self) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  add(fnSelf, `${functionName || '(anonymous)'} ${where(url)}:${lineNumber + 1}`, t);
  add(fileSelf, where(url), t);
}
const pct = (t: number) => `${((100 * t) / total).toFixed(1).padStart(5)}%`;
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(t)}  ${k}`);
};
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled${all ? '' : `, busy time in the ${loadedSeconds} loaded seconds`}`);
show('self time by file or package', fileSelf);
show('self time by function', fnSelf);

if (inclusiveNames.length > 0) {
  const inclusive = new Map<string, number>();
  for (const [id, t] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = byId.get(cur)!.callFrame.functionName;
      if (inclusiveNames.includes(name) && !seen.has(name)) {
        seen.add(name);
        add(inclusive, name, t);
      }
    }
  }
  show('inclusive time', inclusive);
}
