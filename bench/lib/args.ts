// The bench scripts' command-line flags: `--name=value`, and `--name` alone as 'true'. Other words (ab.ts's builds)
// are the script's own to read.
export function flagsOf(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    if (!arg.startsWith('--')) continue;
    const [name, value] = arg.slice(2).split('=');
    flags.set(name, value ?? 'true');
  }
  return flags;
}
