/** Types of scripts/prereq.mjs (plain Node so that `npm run setup` runs before `npm install`). */
export interface Prereq {
  id: string;
  label: string;
  apt: string[];
  found: boolean;
}
export interface CheckOptions {
  env?: NodeJS.ProcessEnv;
  nodeVersion?: string;
  pgRoot?: string;
}
export const NODE_ENGINES: string;
export function nodeSatisfies(v: string): boolean;
export function onPath(cmd: string, env: NodeJS.ProcessEnv): string | null;
export function findPgBin(env?: NodeJS.ProcessEnv, root?: string): string | null;
export function checkPrereqs(opts?: CheckOptions): Prereq[];
export function packagesFor(missing: Prereq[]): string[];
export function installCommand(pkgs: string[], root: boolean): string;
export function missingLine(results: Prereq[], root?: boolean): string | null;
