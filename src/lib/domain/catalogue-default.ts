/**
 * The default renovation item catalogue (改造内容目录), as data.
 *
 * Transcribes geodata/standards/renovation-catalogue.csv row by row; src/lib/analysis/content.test.ts reads
 * that CSV and fails if codes, classes, names, units, costs, funding lines or departments drift apart.
 * The items and their classes come from 国办发〔2020〕23号 (renovation-items-national.csv) and Ningbo
 * practice (renovation-items-ningbo.csv); `refs` names the rows of those files each item stands for.
 * Units and unit costs are NOT in any public source we hold: every cost here is our assumption (INF,
 * `costSource: null`), labelled as such wherever shown, editable, and saved in the project. Which items
 * are outside the city:district base (lifts, lift renewal, dangerous-building repair) follows
 * geodata/standards/funding.yaml `base_excludes`; the lead departments of those 专项 items are our
 * assumption of Jiangbei's usual division of work.
 */
import type { Catalogue, CatalogueItem } from '../analysis/content';

const ITEMS: CatalogueItem[] = [
  { code: 'RB01', cls: 'basic', zh: '屋面防水/渗漏水维修', en: 'roof waterproofing and leak repair', unit: 'm²', unitCostCny: 150, costSource: null, funding: 'base', department: null, refs: ['NB-B01', 'B12'] },
  { code: 'RB02', cls: 'basic', zh: '外墙渗漏维修/建筑外立面改造', en: 'facade leak repair and renewal', unit: 'm²', unitCostCny: 120, costSource: null, funding: 'base', department: null, refs: ['NB-B02', 'B12'] },
  { code: 'RB03', cls: 'basic', zh: '雨污分流/排水管网改造', en: 'storm-sewage separation and drainage network', unit: 'm', unitCostCny: 1500, costSource: null, funding: 'base', department: null, refs: ['NB-B03', 'B02'] },
  { code: 'RB04', cls: 'basic', zh: '楼道管线和架空线规整', en: 'stairwell cables and overhead lines tidy-up', unit: '户', unitCostCny: 800, costSource: null, funding: 'base', department: null, refs: ['NB-B04', 'B04'] },
  { code: 'RB05', cls: 'basic', zh: '燃气管道更新', en: 'gas pipe renewal', unit: '户', unitCostCny: 2500, costSource: null, funding: 'base', department: null, refs: ['NB-B05', 'B06'] },
  { code: 'RB06', cls: 'basic', zh: '供水管网/二次供水改造', en: 'water supply pipes and booster pumps', unit: '户', unitCostCny: 2000, costSource: null, funding: 'base', department: null, refs: ['B01'] },
  { code: 'RB07', cls: 'basic', zh: '路面改造', en: 'road resurfacing', unit: 'm²', unitCostCny: 200, costSource: null, funding: 'base', department: null, refs: ['NB-B07', 'B05'] },
  { code: 'RB08', cls: 'basic', zh: '消防设施改造', en: 'fire safety installations', unit: '幢', unitCostCny: 20000, costSource: null, funding: 'base', department: null, refs: ['B08'] },
  { code: 'RB09', cls: 'basic', zh: '安防监控/智能门禁', en: 'security cameras and access control', unit: '项', unitCostCny: 300000, costSource: null, funding: 'base', department: null, refs: ['B09', 'NB-U01'] },
  { code: 'RB10', cls: 'basic', zh: '结构加固(部分楼道)', en: 'structural strengthening (some stairwells)', unit: '幢', unitCostCny: 200000, costSource: null, funding: 'base', department: null, refs: ['NB-B08'] },
  { code: 'RB11', cls: 'basic', zh: '危房解危', en: 'dangerous-building repair', unit: '幢', unitCostCny: 500000, costSource: null, funding: 'dangerous_building_repair', department: { zh: '区住房和城乡建设局(房屋安全)', en: 'district housing and construction bureau (building safety)' }, refs: ['funding.yaml'] },
  { code: 'RI01', cls: 'improve', zh: '单元门/楼梯扶手/楼梯间改造', en: 'entrance doors / handrails / stairwells', unit: '幢', unitCostCny: 30000, costSource: null, funding: 'base', department: null, refs: ['NB-I01'] },
  { code: 'RI02', cls: 'improve', zh: '景观绿化与照明改造', en: 'greening and lighting', unit: 'm²', unitCostCny: 200, costSource: null, funding: 'base', department: null, refs: ['NB-I07', 'I02'] },
  { code: 'RI03', cls: 'improve', zh: '适老与无障碍设施', en: 'elderly-friendly and barrier-free access', unit: '幢', unitCostCny: 20000, costSource: null, funding: 'base', department: null, refs: ['NB-I05', 'I03'] },
  { code: 'RI04', cls: 'improve', zh: '电动自行车充电设施', en: 'e-bike charging points', unit: '处', unitCostCny: 5000, costSource: null, funding: 'base', department: null, refs: ['NB-I03', 'I05'] },
  { code: 'RI05', cls: 'improve', zh: '停车位增补', en: 'additional parking spaces', unit: '处', unitCostCny: 8000, costSource: null, funding: 'base', department: null, refs: ['NB-I02', 'I04'] },
  { code: 'RI06', cls: 'improve', zh: '拆除违法建设', en: 'removal of illegal structures', unit: '项', unitCostCny: 100000, costSource: null, funding: 'base', department: null, refs: ['I01'] },
  { code: 'RI07', cls: 'improve', zh: '大门/岗亭/围墙改造', en: 'gates / guard posts / walls', unit: '项', unitCostCny: 300000, costSource: null, funding: 'base', department: null, refs: ['NB-I08'] },
  { code: 'RI08', cls: 'improve', zh: '健身步道与文体设施', en: 'fitness trail and culture & sports facilities', unit: '处', unitCostCny: 150000, costSource: null, funding: 'base', department: null, refs: ['NB-I04', 'I07'] },
  { code: 'RI09', cls: 'improve', zh: '口袋公园/小游园', en: 'pocket park', unit: '处', unitCostCny: 400000, costSource: null, funding: 'base', department: null, refs: ['I02'] },
  { code: 'RI10', cls: 'improve', zh: '加装电梯', en: 'lift retrofit', unit: '台', unitCostCny: 600000, costSource: null, funding: 'lift_installation', department: { zh: '区住房和城乡建设局', en: 'district housing and construction bureau' }, refs: ['NB-I09', 'I10'] },
  { code: 'RI11', cls: 'improve', zh: '电梯更新', en: 'lift renewal', unit: '台', unitCostCny: 400000, costSource: null, funding: 'lift_renewal', department: { zh: '区市场监督管理局(特种设备)', en: 'district market supervision bureau (special equipment)' }, refs: ['funding.yaml'] },
  { code: 'RI12', cls: 'improve', zh: '物业用房', en: 'property-management rooms', unit: 'm²', unitCostCny: 3000, costSource: null, funding: 'base', department: null, refs: ['I08'] },
  { code: 'RI13', cls: 'improve', zh: '引入专业物业(长效管理)', en: 'professional property management (long-term management)', unit: '项', unitCostCny: 50000, costSource: null, funding: 'base', department: null, refs: ['I08', 'funding.yaml'] },
  { code: 'RI14', cls: 'improve', zh: '智能快件箱/信包箱', en: 'parcel and mail lockers', unit: '处', unitCostCny: 30000, costSource: null, funding: 'base', department: null, refs: ['I06'] },
  { code: 'RU01', cls: 'upgrade', zh: '社区综合服务设施', en: 'community service centre', unit: '处', unitCostCny: 800000, costSource: null, funding: 'base', department: null, refs: ['U01'] },
  { code: 'RU02', cls: 'upgrade', zh: '卫生服务站', en: 'community health station', unit: '处', unitCostCny: 600000, costSource: null, funding: 'base', department: null, refs: ['U02'] },
  { code: 'RU03', cls: 'upgrade', zh: '托育/幼儿托管点', en: 'childcare point', unit: '处', unitCostCny: 500000, costSource: null, funding: 'base', department: null, refs: ['U03', 'NB-U02'] },
  { code: 'RU04', cls: 'upgrade', zh: '长者之家/老年人日间照料', en: "elderly day care (seniors' home)", unit: '处', unitCostCny: 600000, costSource: null, funding: 'base', department: null, refs: ['U05', 'NB-U02'] },
  { code: 'RU05', cls: 'upgrade', zh: '便民市场/便利店', en: 'convenience market / shop', unit: '处', unitCostCny: 300000, costSource: null, funding: 'base', department: null, refs: ['U06', 'NB-U03'] },
  { code: 'RU06', cls: 'upgrade', zh: '文化活动室', en: 'culture room', unit: '处', unitCostCny: 300000, costSource: null, funding: 'base', department: null, refs: ['NB-U03'] },
  { code: 'RU07', cls: 'upgrade', zh: '邮政快递末端综合服务站', en: 'postal-express terminal station', unit: '处', unitCostCny: 150000, costSource: null, funding: 'base', department: null, refs: ['U07'] },
];

export const DEFAULT_CATALOGUE: Catalogue = {
  format: 'jiangbei-renovation-catalogue',
  version: 1,
  items: ITEMS,
};

/** A fresh, editable copy of the default catalogue. */
export function defaultCatalogue(): Catalogue {
  return structuredClone(DEFAULT_CATALOGUE);
}
