/**
 * The default scoring rubric (默认评分标准), as data.
 *
 * The official scoring standard (附件4 of the action plan) is not public, so this is a DEFAULT, labelled as
 * such everywhere it appears (official: false). Codes, labels, points and rules transcribe
 * geodata/standards/scoring-default.csv row by row (the `how_measured` column); src/lib/analysis/rubric.test.ts
 * reads that CSV and fails if codes, labels or maximum points drift apart from this file.
 *
 * Modelling choices where the CSV text leaves room (each says why):
 *  - SC02 points use the LOWER of the area and headcount consent shares, because both must reach 2/3;
 *    its gate is the exact double-2/3 rule (a recorded vote when there is one, else the record's shares).
 *  - SC03 "5%:5; 10%:10; ≥15%:15 (linear)" is linear from (5%, 5) to (15%, 15); below 5% the gate fails.
 *  - SC06 "all cleared or none present" is illegal_cleared_share ≥ 1 (the record stores 1 when none present).
 *  - SC07 "≥1000 households" counts the households of the whole contiguous bundle; undefined until bundling ran.
 *  - SC08 is 10 × the share of mandatory (▲) facilities missing, from the life-circle coverage analysis.
 */
import type { Rubric } from '../analysis/rubric';

const TWO_THIRDS = 2 / 3;

export const DEFAULT_RUBRIC: Rubric = {
  format: 'jiangbei-rubric',
  version: 1,
  name: { zh: '默认评分标准 (非官方附件4)', en: 'Default scoring rubric (not the official Annex 4)' },
  official: false,
  note: {
    zh: '行动方案附件4《评分标准》未公开; 本标准依据公开资料整理的默认评分表, 仅作默认值, 各项分值、阈值与门槛均可修改。',
    en: 'The action plan’s official scoring standard (Annex 4) is not public; this default transcribes a scoring table compiled from public sources. Every weight, threshold and gate is editable.',
  },
  criteria: [
    {
      code: 'SC01',
      zh: '建成年代',
      en: 'build year',
      weight: 1,
      bonus: false,
      enabled: true,
      basis: 'national pre-2000 rule (S18)',
      rule: {
        kind: 'steps',
        steps: [
          { when: [{ fact: 'build_year', op: '<=', value: 1990 }], points: 10 },
          { when: [{ fact: 'build_year', op: '<=', value: 1995 }], points: 8 },
          { when: [{ fact: 'build_year', op: '<=', value: 2000 }], points: 6 },
          { when: [{ fact: 'build_year', op: '<=', value: 2005 }], points: 3 },
        ],
        otherwise: 0,
      },
      gates: [],
    },
    {
      code: 'SC02',
      zh: '居民改造意愿/同意率',
      en: 'resident consent rate',
      weight: 1,
      bonus: false,
      enabled: true,
      basis: 'S18 意愿强; 2/3 gate common practice; Civil Code arts. 278, 1259',
      rule: {
        kind: 'steps',
        steps: [
          { when: [{ fact: 'consent_min_share', op: '>=', value: 0.9 }], points: 20 },
          { when: [{ fact: 'consent_min_share', op: '>=', value: 0.8 }], points: 16 },
          { when: [{ fact: 'consent_min_share', op: '>=', value: TWO_THIRDS }], points: 12 },
        ],
        otherwise: 0,
      },
      gates: [{ kind: 'double-majority', num: 2, den: 3 }],
    },
    {
      code: 'SC03',
      zh: '业主出资比例',
      en: 'owner co-funding share',
      weight: 1,
      bonus: false,
      enabled: true,
      basis: 'seed; S18 "出资情况好"; funding.yaml owners.min_share_of_total_investment',
      rule: { kind: 'linear', fact: 'owner_contribution_share', x0: 0.05, p0: 5, x1: 0.15, p1: 15, below: 0 },
      gates: [
        {
          kind: 'cond',
          cond: { fact: 'owner_contribution_share', op: '>=', value: 0.05 },
          zh: '业主出资低于总投资的 5%',
          en: 'owners contribute less than 5% of the investment',
        },
      ],
    },
    {
      code: 'SC04',
      zh: '长效管理/物业管理',
      en: 'long-term management',
      weight: 1,
      bonus: false,
      enabled: true,
      basis: 'S1; S18; S20',
      rule: {
        kind: 'steps',
        steps: [
          { when: [{ fact: 'property_mgmt', op: '==', value: 'professional' }], points: 15 },
          { when: [{ fact: 'property_mgmt', op: '==', value: 'self' }], points: 10 },
        ],
        otherwise: 0,
      },
      gates: [],
    },
    {
      code: 'SC05',
      zh: '专项维修资金',
      en: 'maintenance-fund (re)collection',
      weight: 1,
      bonus: false,
      enabled: true,
      basis: 'team default',
      rule: {
        kind: 'steps',
        steps: [
          { when: [{ fact: 'maintenance_fund', op: '==', value: 'established' }], points: 5 },
          { when: [{ fact: 'maintenance_fund', op: '==', value: 'committed' }], points: 3 },
        ],
        otherwise: 0,
      },
      gates: [],
    },
    {
      code: 'SC06',
      zh: '违建拆除',
      en: 'illegal-structure clearance',
      weight: 1,
      bonus: false,
      enabled: true,
      basis: 'national 完善类 item; team default',
      rule: {
        kind: 'steps',
        steps: [
          { when: [{ fact: 'illegal_cleared_share', op: '>=', value: 1 }], points: 10 },
          { when: [{ fact: 'illegal_cleared_share', op: '>', value: 0.5 }], points: 5 },
        ],
        otherwise: 0,
      },
      gates: [],
    },
    {
      code: 'SC07',
      zh: '连片改造',
      en: 'contiguous/area renovation',
      weight: 1,
      bonus: false,
      enabled: true,
      basis: 'brief; S21 统筹改造时序',
      rule: {
        kind: 'steps',
        steps: [
          {
            when: [
              { fact: 'bundle_size', op: '>=', value: 3 },
              { fact: 'bundle_households', op: '>=', value: 1000 },
            ],
            points: 10,
          },
          { when: [{ fact: 'bundle_size', op: '>=', value: 2 }], points: 5 },
        ],
        otherwise: 0,
      },
      gates: [],
    },
    {
      code: 'SC08',
      zh: '配套设施缺项',
      en: 'facility gaps (life-circle)',
      weight: 1,
      bonus: false,
      enabled: true,
      basis: 'GB50180 / 完整居住社区',
      rule: { kind: 'linear', fact: 'mandatory_gap_share', x0: 0, p0: 0, x1: 1, p1: 10, below: 0 },
      gates: [],
    },
    {
      code: 'SC09',
      zh: '安全隐患',
      en: 'safety hazards',
      weight: 1,
      bonus: false,
      enabled: true,
      basis: 'national 基础类',
      rule: {
        kind: 'steps',
        steps: [
          { when: [{ fact: 'safety_hazard', op: '==', value: 'confirmed' }], points: 5 },
          { when: [{ fact: 'safety_hazard', op: '==', value: 'partial' }], points: 3 },
        ],
        otherwise: 0,
      },
      gates: [],
    },
    {
      code: 'SC10',
      zh: '加装电梯意愿 (bonus)',
      en: 'lift-retrofit willingness',
      weight: 1,
      bonus: true,
      enabled: true,
      basis: 'brief; S21',
      rule: { kind: 'steps', steps: [{ when: [{ fact: 'lift_demand', op: '>=', value: 1 }], points: 5 }], otherwise: 0 },
      gates: [],
    },
    {
      code: 'SC11',
      zh: '社会/单位出资 (bonus)',
      en: 'third-party funding (原产权单位/管线单位/社会资本)',
      weight: 1,
      bonus: true,
      enabled: true,
      basis: 'national practice (U)',
      rule: { kind: 'steps', steps: [{ when: [{ fact: 'third_party_funding', op: '==', value: true }], points: 5 }], otherwise: 0 },
      gates: [],
    },
  ],
};

/** A fresh, independent copy of the default (the app edits copies, never the constant). */
export function defaultRubric(): Rubric {
  return structuredClone(DEFAULT_RUBRIC);
}
