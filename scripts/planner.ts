/**
 * Command-line interface over the same pure modules the app uses (see README "Command line").
 *   npm run planner -- <command> [options]
 * Each command lives in scripts/cli/<command>.ts and exports `run(argv: string[]): Promise<number>`
 * returning the process exit code.
 */
const COMMANDS: Record<string, () => Promise<{ run: (argv: string[]) => Promise<number>; usage: string }>> = {
  coverage: () => import('./cli/coverage.ts'),
  bundle: () => import('./cli/bundle.ts'),
  score: () => import('./cli/score.ts'),
  import: () => import('./cli/import.ts'),
  content: () => import('./cli/content.ts'),
};

async function main(): Promise<number> {
  const [cmd, ...rest] = process.argv.slice(2);
  if (!cmd || cmd === '--help' || cmd === '-h' || !(cmd in COMMANDS)) {
    const lines = ['usage: npm run planner -- <command> [options]', '', 'commands:'];
    for (const name of Object.keys(COMMANDS)) {
      try {
        lines.push((await COMMANDS[name]()).usage);
      } catch {
        lines.push(`  ${name} (not available in this build)`);
      }
    }
    console.error(lines.join('\n'));
    return cmd && !(cmd in COMMANDS) ? 2 : 0;
  }
  const mod = await COMMANDS[cmd]();
  return mod.run(rest);
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`planner: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
