/** The word after `flag` on a bench's command line (`--runs 5` → "5"); undefined when the flag is absent or last. */
export function flagValue(argv: readonly string[], flag: string): string | undefined {
  const at = argv.indexOf(flag);
  return at >= 0 ? argv[at + 1] : undefined;
}
