/**
 * Hand-drawn planning sketches (lon/lat) the generator builds on: barriers, the street-grid
 * clusters and the 2020 streets with the metro station each old centre grows around.
 */
import type { P } from './geo.ts';
/** Minimum distances (m) from the district edge; the Yao and Yong are the edge there. */
export const MARGINS = { roadNode: 130, community: 170, facility: 100 } as const;

// ---------------------------------------------------------------------------------------------
// Hand-drawn approximations (lon/lat). These are planning sketches, not surveys: they put the
// barriers where a planner expects them so that bundling and walking analysis behave sensibly.

/** 萧甬铁路 from the west edge through 庄桥 station, then south across the Yao to 宁波站. */
export const RAIL_MAIN: P[] = [
  [121.405, 29.9635], [121.44, 29.9605], [121.48, 29.9555], [121.508, 29.948], [121.518, 29.932],
  [121.529, 29.9235], [121.5262, 29.9165], [121.5232, 29.9112],
];
/** 北仑支线: 庄桥 east past 宁波北站 towards 镇海. */
export const RAIL_BRANCH: P[] = [
  [121.529, 29.9235], [121.545, 29.9208], [121.565, 29.9193], [121.585, 29.9203], [121.5986, 29.9238],
];
/** 宁波绕城高速 (ring expressway) crossing the district from the Yao northwards. */
export const EXPRESSWAY: P[] = [
  [121.4728, 29.9168], [121.4745, 29.94], [121.4765, 29.965], [121.4835, 29.98], [121.4905, 29.9915],
];
/** 湾头河: a canal across the old town from the Yao to the Yong. */
export const CANAL_OLD: P[] = [
  [121.5282, 29.9092], [121.54, 29.9074], [121.553, 29.9056], [121.565, 29.9017], [121.578, 29.8973],
];
/** 慈江: from 慈城 eastwards north of 洪塘 and 庄桥. */
export const CANAL_CIJIANG: P[] = [
  [121.418, 29.9672], [121.44, 29.9668], [121.462, 29.9655], [121.49, 29.9595], [121.52, 29.9565],
  [121.555, 29.9555], [121.585, 29.9565],
];

export interface GridSpec {
  id: string;
  /** lon/lat mask of the built-up area */
  mask: P[];
  origin: P;
  width: number;
  height: number;
  spacing: [number, number];
  /** street grid rotation in degrees (counter-clockwise), so streets are not all north-south */
  rotation: number;
  longBlock: number;
  jitter: number;
  pathShare: number;
  namesX: string[];
  namesY: string[];
}

export const GRIDS: GridSpec[] = [
  {
    id: 'old',
    mask: [
      [121.531, 29.9168], [121.5985, 29.9168], [121.6045, 29.9145], [121.64, 29.9145], [121.64, 29.895],
      [121.556, 29.871], [121.52, 29.888], [121.526, 29.905], [121.531, 29.9065],
    ],
    origin: [121.523, 29.872],
    width: 11_500,
    height: 5_300,
    spacing: [95, 225],
    rotation: 14,
    longBlock: 0.1,
    jitter: 7,
    pathShare: 0.02,
    namesX: ['人民路', '湖西河路', '大庆南路', '江北大道', '洪兴路', '青林湾路', '东沙路', '海川路', '环城东路', '宁镇路', '兴宁路', '甬江大道', '翔鹰路', '风华路', '星海路'],
    namesY: ['中马路', '新马路', '大闸路', '北岸路', '槐树路', '通商路', '环城北路', '北环东路', '孔浦路', '康庄南路'],
  },
  {
    id: 'north',
    mask: [
      [121.479, 29.905], [121.528, 29.905], [121.528, 29.9225], [121.582, 29.9225], [121.6, 29.9258],
      [121.6, 29.945], [121.58, 29.945], [121.58, 29.975], [121.479, 29.975],
    ],
    origin: [121.478, 29.904],
    width: 10_000,
    height: 7_800,
    spacing: [110, 260],
    rotation: -7,
    longBlock: 0.15,
    jitter: 8,
    pathShare: 0.04,
    namesX: ['洪塘中路', '洪兴路', '庄洪路', '怡西街', '天沁路', '广元路', '庄桥路', '费市路', '天合路', '长兴路'],
    namesY: ['北环西路', '姚江路', '洪塘路', '广厦路', '庄桥北路', '丽江西路', '天水家园路', '前洋路'],
  },
  {
    id: 'cicheng',
    mask: [
      [121.416, 29.946], [121.452, 29.946], [121.456, 29.93], [121.4705, 29.925], [121.4705, 29.996],
      [121.455, 30.003], [121.416, 30.003],
    ],
    origin: [121.415, 29.924],
    width: 5_700,
    height: 8_700,
    spacing: [120, 280],
    rotation: 5,
    longBlock: 0.2,
    jitter: 8,
    pathShare: 0.1,
    namesX: ['慈湖路', '民族路', '解放路', '骢马路', '太湖路', '金沙路'],
    namesY: ['慈城环城南路', '中华路', '北门路', '慈城大道', '前洋大道', '云谷路'],
  },
];

export interface StreetSpec {
  zh: string;
  count: number;
  anchor: P;
  /** committees (2023 names) that cover the old estates of this 2020 street */
  committees: string[];
}

/** Targets per 2020 street (sum 73) and the metro station each old centre grows around. */
export const STREET_SPECS: StreetSpec[] = [
  { zh: '中马街道', count: 10, anchor: [121.5475, 29.8885], committees: ['外滩', '新马', '盐仓', '浮石', '湖西'] },
  { zh: '白沙街道', count: 9, anchor: [121.5585, 29.8935], committees: ['白沙', '包家', '日湖'] },
  { zh: '文教街道', count: 12, anchor: [121.537, 29.902], committees: ['育才', '双东坊', '翠东', '繁景', '范江岸', '大闸', '永红'] },
  { zh: '孔浦街道', count: 11, anchor: [121.5881, 29.9075], committees: ['绿梅', '红梅', '怡江', '文竹', '双桥', '白杨', '北站'] },
  { zh: '甬江街道', count: 12, anchor: [121.5713, 29.9075], committees: ['梅堰', '湾头', '朱家', '西管', '压赛堰', '甬江'] },
  { zh: '庄桥街道', count: 8, anchor: [121.536, 29.9305], committees: ['河东', '河西', '广厦', '费市', '天水'] },
  { zh: '洪塘街道', count: 6, anchor: [121.4955, 29.9365], committees: ['洪塘', '姚江', '洪都', '亲亲'] },
  { zh: '慈城镇', count: 5, anchor: [121.4464, 29.9785], committees: ['浮碧', '望京', '景明', '慈东'] },
];

/** Which 2020 street a block belongs to, by position (spatially coherent streets). */
export function streetOf(grid: string, p: P): string | null {
  const [x, y] = p;
  if (grid === 'old') {
    if (x > 121.6125) return null; // 宁波大学 campus and newer estates
    if (x >= 121.5835) return '孔浦街道';
    if (y >= 29.9005 && x >= 121.553) return '甬江街道';
    if (x >= 121.5515) return '白沙街道';
    if (y < 29.899 && x >= 121.535) return '中马街道';
    return '文教街道';
  }
  if (grid === 'north') {
    if (y > 29.947) return null;
    if (x >= 121.522 && x <= 121.562 && y >= 29.924) return '庄桥街道';
    if (x >= 121.481 && x <= 121.51 && y >= 29.929) return '洪塘街道';
    return null;
  }
  if (x >= 121.434 && x <= 121.46 && y >= 29.969 && y <= 29.99) return '慈城镇';
  return null;
}

export const LINEAR_BARRIERS = [RAIL_MAIN, RAIL_BRANCH, EXPRESSWAY];
export const CANALS = [CANAL_OLD, CANAL_CIJIANG];
