// The bench scripts' flag parser: a value may itself hold '=' (ab.ts's --node-flags-b=--heap-growing-percent=30).
import { describe, expect, it } from 'vitest';
import { flagsOf } from '../bench/lib/args.js';

describe('bench flagsOf', () => {
  it('reads --name=value, --name alone as true, and leaves other words to the script', () => {
    const flags = flagsOf(['.bench/a/main.js', '--db=postgres', '--cpu-prof', '--slices=6']);
    expect([...flags]).toEqual([
      ['db', 'postgres'],
      ['cpu-prof', 'true'],
      ['slices', '6'],
    ]);
  });

  it('splits at the first = only, so a value may hold one', () => {
    const flags = flagsOf(['--node-flags-b=--heap-growing-percent=30 --no-allocation-site-pretenuring', '--empty=']);
    expect(flags.get('node-flags-b')).toBe('--heap-growing-percent=30 --no-allocation-site-pretenuring');
    expect(flags.get('empty')).toBe('');
  });
});
