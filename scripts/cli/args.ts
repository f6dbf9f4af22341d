/** Tiny argv parser shared by the CLI commands: --key value, --flag, with a list of known options. */
export interface ParsedArgs {
  values: Record<string, string>;
  flags: Set<string>;
}

export function parseArgs(argv: string[], spec: { values: string[]; flags?: string[] }): ParsedArgs {
  const values: Record<string, string> = {};
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`);
    const eq = a.indexOf('=');
    const key = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (spec.flags?.includes(key)) {
      flags.add(key);
    } else if (spec.values.includes(key)) {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new Error(`option --${key} needs a value`);
      values[key] = v;
    } else {
      throw new Error(`unknown option --${key}`);
    }
  }
  return { values, flags };
}
