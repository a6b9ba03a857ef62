// The bench scripts' command-line flags: `--name=value`, and `--name` alone as 'true'. Other words (ab.ts's builds)
// are the script's own to read.
export function flagsOf(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    if (!arg.startsWith('--')) continue;
    // At the first '=' only: a value may hold one (ab.ts's --node-flags-b=--heap-growing-percent=30).
    const at = arg.indexOf('=');
    flags.set(at < 0 ? arg.slice(2) : arg.slice(2, at), at < 0 ? 'true' : arg.slice(at + 1));
  }
  return flags;
}
