/**
 * Vitest global setup for the whole run (both projects): check the system prerequisites before any test
 * starts, and stop at once with one line naming what is missing and the command that installs it
 * (scripts/prereq.mjs is the one place that knows them; `npm run setup` installs them).
 * A thrown error would print vitest's stack trace, so this writes the line and exits.
 */
import { checkPrereqs, missingLine } from '../scripts/prereq.mjs';

export default function checkTestPrerequisites() {
  // the root config's global setup is inherited by each project: check once per run
  const g = globalThis as { __plannerPrereqChecked?: boolean };
  if (g.__plannerPrereqChecked) return;
  g.__plannerPrereqChecked = true;
  const line = missingLine(checkPrereqs());
  if (line) {
    process.stderr.write(`\n${line}\n`);
    process.exit(1);
  }
}
