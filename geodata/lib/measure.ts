/**
 * `npx tsx geodata/lib/measure.ts [--seed=N]` — print the life-circle coverage shape of the generated
 * default dataset (both standards, network distance, default tiers) with the planner's own engine.
 */
import { buildDataset } from '../build.ts';
import { DEFAULT_SEED } from '../generate.ts';
import { coverageShapes, formatShapes } from './coverage-shape.ts';

const seedArg = process.argv.slice(2).find((a) => a.startsWith('--seed='));
const seed = seedArg ? Number(seedArg.slice(7)) : DEFAULT_SEED;
console.log(formatShapes(coverageShapes(buildDataset(seed).layers)));
