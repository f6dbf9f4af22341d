/**
 * The import targets: for each layer kind, the model fields a source column can be mapped onto,
 * the header spellings we recognise (Chinese first, then English), their type and their default.
 * Pure data + small helpers; the mapping guess lives in mapping.ts.
 */
import { FACILITY_CATEGORIES, POOLS, ROAD_CLASSES, STAGES, SIDE_STATES, type FacilityCategoryCode, type RoadClass } from '../../domain/types';
import { SPARE_SITE_KINDS } from '../../domain/spare-sites';

export type ImportKind = 'communities' | 'facilities' | 'roads' | 'spare_sites';
export const IMPORT_KINDS: readonly ImportKind[] = ['communities', 'facilities', 'roads', 'spare_sites'];

export type FieldType = 'string' | 'int' | 'number' | 'share' | 'bool' | 'enum' | 'lon' | 'lat' | 'geometry' | 'area';

export interface FieldDef {
  key: string;
  type: FieldType;
  zh: string;
  en: string;
  /** header spellings, matched case-insensitively after removing spaces, brackets and units */
  aliases: string[];
  required?: boolean;
  /** for enums: accepted values (codes), plus Chinese spellings mapped onto them */
  values?: readonly string[];
  synonyms?: Record<string, string>;
}

const COORDS: FieldDef[] = [
  { key: 'lon', type: 'lon', zh: '经度', en: 'Longitude', aliases: ['经度', 'lon', 'lng', 'long', 'longitude', 'x', 'x坐标', '东经', 'point_x', 'gcj_lng', 'bd_lng', 'wgs_lng', '经度高德', '经度百度'] },
  { key: 'lat', type: 'lat', zh: '纬度', en: 'Latitude', aliases: ['纬度', 'lat', 'latitude', 'y', 'y坐标', '北纬', 'point_y', 'gcj_lat', 'bd_lat', 'wgs_lat', '纬度高德', '纬度百度'] },
  { key: 'geometry', type: 'geometry', zh: '几何 (GeoJSON/WKT)', en: 'Geometry (GeoJSON/WKT)', aliases: ['geometry', 'geom', 'wkt', 'the_geom', 'shape', '几何', '边界'] },
];

export const COMMUNITY_FIELDS: FieldDef[] = [
  { key: 'id', type: 'string', zh: '编号', en: 'ID', aliases: ['编号', '小区编号', 'id', 'code', 'fid'] },
  { key: 'name', type: 'string', zh: '小区名称', en: 'Name', aliases: ['小区名称', '小区名', '名称', '项目名称', '小区', 'name', 'community', 'estate', '改造小区', 'xqmc', 'mc'], required: true },
  { key: 'street', type: 'string', zh: '所属街道', en: 'Sub-district', aliases: ['所属街道', '街道', '街道镇', '镇街', '所在街道', 'street', 'subdistrict', 'sub_district', 'jiedao', 'jd', 'jdmc', 'ssjd'] },
  { key: 'committee', type: 'string', zh: '所属社区', en: 'Committee', aliases: ['所属社区', '社区', '社区居委会', 'committee', 'shequ'] },
  { key: 'build_year', type: 'int', zh: '建成年代', en: 'Build year', aliases: ['建成年代', '建成年份', '建成时间', '建造年代', '竣工年份', '年代', 'build_year', 'year', 'built', 'year_built', 'jcnd', 'jcnf', 'jcnian'] },
  { key: 'housing_type', type: 'enum', zh: '房屋类型', en: 'Housing type', aliases: ['房屋类型', '小区类型', '类型', 'housing_type', 'type'], values: ['commodity', 'danwei', 'resettlement'], synonyms: { 商品房: 'commodity', 单位房: 'danwei', 单位宿舍: 'danwei', 房改房: 'danwei', 安置房: 'resettlement', 拆迁安置房: 'resettlement' } },
  { key: 'households', type: 'int', zh: '户数', en: 'Households', aliases: ['户数', '总户数', '住户数', '居民户数', 'households', 'hh', 'units', 'hs'] },
  { key: 'buildings', type: 'int', zh: '幢数', en: 'Buildings', aliases: ['幢数', '栋数', '楼栋数', '幢', '栋', '楼幢数', 'buildings', 'bldgs', 'building_count', 'zs', 'ds'] },
  { key: 'floor_area_m2', type: 'area', zh: '建筑面积 (m²)', en: 'Floor area (m²)', aliases: ['建筑面积', '总建筑面积', '住宅建筑面积', '面积', 'floor_area_m2', 'floor_area', 'area', 'gfa', 'jzmj'] },
  { key: 'residents', type: 'int', zh: '人口', en: 'Residents', aliases: ['人口', '人数', '居民人数', '常住人口', '居住人口', 'residents', 'population', 'pop', 'rk', 'rks'] },
  { key: 'property_mgmt', type: 'enum', zh: '物业管理', en: 'Property management', aliases: ['物业', '物业管理', '物业情况', '物业类型', 'property_mgmt', 'property', 'management'], values: ['professional', 'self', 'none'], synonyms: { 专业物业: 'professional', 物业公司: 'professional', 有: 'professional', 是: 'professional', 自管: 'self', 业主自管: 'self', 自治: 'self', 准物业: 'self', 无: 'none', 否: 'none', 无物业: 'none', yes: 'professional', no: 'none' } },
  { key: 'maintenance_fund', type: 'enum', zh: '维修资金', en: 'Maintenance fund', aliases: ['维修资金', '专项维修资金', '维修基金', 'maintenance_fund', 'fund'], values: ['established', 'committed', 'none'], synonyms: { 已建立: 'established', 已归集: 'established', 有: 'established', 是: 'established', 承诺: 'committed', 承诺建立: 'committed', 无: 'none', 否: 'none', 未建立: 'none', yes: 'established', no: 'none' } },
  { key: 'dangerous_buildings', type: 'int', zh: '危房幢数', en: 'Dangerous buildings', aliases: ['危房幢数', '危房', '危房数', 'dangerous_buildings', 'dangerous'] },
  { key: 'lift_demand', type: 'int', zh: '加装电梯需求幢数', en: 'Lift demand', aliases: ['加装电梯', '加装电梯需求', '电梯需求', 'lift_demand', 'lifts'] },
  { key: 'consent_area_share', type: 'share', zh: '同意改造面积占比', en: 'Consent (area share)', aliases: ['同意面积占比', '面积同意率', '同意改造面积占比', 'consent_area_share'] },
  { key: 'consent_headcount_share', type: 'share', zh: '同意改造人数占比', en: 'Consent (headcount share)', aliases: ['同意人数占比', '人数同意率', '同意率', '同意改造人数占比', 'consent_headcount_share', 'consent'] },
  { key: 'owner_contribution_share', type: 'share', zh: '居民出资占比', en: 'Owner contribution share', aliases: ['居民出资占比', '出资比例', '居民出资比例', 'owner_contribution_share'] },
  { key: 'illegal_cleared_share', type: 'share', zh: '违建拆除比例', en: 'Illegal structures cleared', aliases: ['违建拆除比例', '违建拆除率', 'illegal_cleared_share'] },
  { key: 'safety_hazard', type: 'enum', zh: '安全隐患', en: 'Safety hazard', aliases: ['安全隐患', '隐患', 'safety_hazard', 'hazard'], values: ['confirmed', 'partial', 'none'], synonyms: { 有: 'confirmed', 是: 'confirmed', 确认: 'confirmed', 部分: 'partial', 无: 'none', 否: 'none', yes: 'confirmed', no: 'none' } },
  { key: 'third_party_funding', type: 'bool', zh: '社会资本参与', en: 'Third-party funding', aliases: ['社会资本', '社会资本参与', '第三方出资', 'third_party_funding'] },
  { key: 'batch_year', type: 'enum', zh: '改造批次年份', en: 'Batch year', aliases: ['改造年度', '改造批次', '实施年度', '计划年度', '批次', 'batch_year', 'batch'], values: ['2020', '2021', '2022'], synonyms: { '2020年': '2020', '2021年': '2021', '2022年': '2022' } },
  { key: 'pool', type: 'enum', zh: '项目库', en: 'Pool', aliases: ['项目库', '库', 'pool'], values: POOLS, synonyms: { 谋划一批: '谋划', 生成一批: '生成', 实施一批: '实施', 储备一批: '储备' } },
  { key: 'stage', type: 'enum', zh: '阶段', en: 'Stage', aliases: ['阶段', '进度', '状态', 'stage', 'status'], values: STAGES },
  { key: 'side_state', type: 'enum', zh: '暂缓/否决', en: 'Side state', aliases: ['side_state', '暂缓否决'], values: SIDE_STATES },
  { key: 'synthetic', type: 'bool', zh: '演示数据', en: 'Demonstration', aliases: ['synthetic', '演示数据', 'demonstration'] },
  { key: 'source', type: 'string', zh: '来源', en: 'Source', aliases: ['source', '来源', '数据来源'] },
  ...COORDS,
];

/** Chinese/English category words → FacilityCategoryCode (the order matters: more specific first). */
export const CATEGORY_WORDS: [RegExp, FacilityCategoryCode][] = [
  [/卫生服务中心|health.?cent/i, 'health_center'],
  [/卫生服务站|卫生站|社区卫生|health.?station|clinic|诊所/i, 'health_station'],
  [/医院|hospital/i, 'hospital'],
  [/托育|托儿|nursery|childcare/i, 'nursery'],
  [/幼儿园|kindergarten/i, 'kindergarten'],
  [/日间照料|养老|老年|elderly|nursing|social_facility/i, 'elderly_daycare'],
  [/小学|primary/i, 'primary_school'],
  [/初中|中学|junior|middle/i, 'junior_high'],
  [/学校|school|college|university/i, 'school_other'],
  [/菜市场|农贸|生鲜|wet.?market|marketplace|greengrocer/i, 'wet_market'],
  [/便利|超市|convenience|supermarket/i, 'convenience'],
  [/商业|商场|mall|commercial|retail|department/i, 'commercial'],
  [/文化|活动室|culture|community_centre|library/i, 'culture_station'],
  [/社区服务|服务站|服务中心|community.?service|townhall/i, 'community_service'],
  [/运动场|体育|球场|sports|pitch|stadium/i, 'sports_ground'],
  [/健身|fitness/i, 'fitness'],
  [/公园|游园|广场|park|garden|square/i, 'park'],
  [/公交|bus/i, 'bus_stop'],
  [/地铁|轨道|metro|subway|station/i, 'metro'],
];

export function categoryFromText(text: string): FacilityCategoryCode | null {
  const t = text.trim();
  if ((FACILITY_CATEGORIES as readonly string[]).includes(t)) return t as FacilityCategoryCode;
  for (const [re, code] of CATEGORY_WORDS) if (re.test(t)) return code;
  return null;
}

export const FACILITY_FIELDS: FieldDef[] = [
  { key: 'id', type: 'string', zh: '编号', en: 'ID', aliases: ['编号', 'id', 'code', 'fid'] },
  { key: 'name', type: 'string', zh: '名称', en: 'Name', aliases: ['名称', '设施名称', '机构名称', 'name', 'title'], required: true },
  { key: 'category', type: 'enum', zh: '类别', en: 'Category', aliases: ['类别', '设施类别', '类型', '分类', 'category', 'type', 'kind', 'amenity'], values: FACILITY_CATEGORIES, required: true },
  { key: 'osm_id', type: 'string', zh: 'OSM 编号', en: 'OSM id', aliases: ['osm_id', 'osmid'] },
  { key: 'synthetic', type: 'bool', zh: '演示数据', en: 'Demonstration', aliases: ['synthetic', '演示数据', 'demonstration'] },
  { key: 'source', type: 'string', zh: '来源', en: 'Source', aliases: ['source', '来源', '数据来源'] },
  ...COORDS,
];

export const ROAD_FIELDS: FieldDef[] = [
  { key: 'id', type: 'string', zh: '编号', en: 'ID', aliases: ['编号', 'id', 'fid', 'osm_id'] },
  { key: 'name', type: 'string', zh: '道路名称', en: 'Name', aliases: ['道路名称', '路名', '名称', 'name'] },
  { key: 'highway', type: 'enum', zh: '道路等级', en: 'Road class', aliases: ['道路等级', '等级', 'highway', 'class', 'fclass', 'type'], values: ROAD_CLASSES },
  { key: 'bridge', type: 'bool', zh: '桥梁', en: 'Bridge', aliases: ['桥梁', '桥', 'bridge'] },
  { key: 'synthetic', type: 'bool', zh: '演示数据', en: 'Demonstration', aliases: ['synthetic', '演示数据', 'demonstration'] },
  { key: 'source', type: 'string', zh: '来源', en: 'Source', aliases: ['source', '来源', '数据来源'] },
  { key: 'geometry', type: 'geometry', zh: '几何 (GeoJSON/WKT)', en: 'Geometry', aliases: ['geometry', 'geom', 'wkt', 'the_geom'] },
];

/** Spare sites (存量资源): idle rooms and spare plots; the area is floor area for rooms, land area for plots. */
export const SPARE_SITE_FIELDS: FieldDef[] = [
  { key: 'id', type: 'string', zh: '编号', en: 'ID', aliases: ['编号', '资源编号', 'id', 'code', 'fid'] },
  { key: 'name', type: 'string', zh: '名称', en: 'Name', aliases: ['名称', '资源名称', '地块名称', '用房名称', '位置', 'name'], required: true },
  {
    key: 'kind', type: 'enum', zh: '类型', en: 'Kind', aliases: ['类型', '资源类型', '用地类型', '存量资源类型', 'kind', 'type'], values: SPARE_SITE_KINDS, required: true,
    synonyms: { 闲置用房: 'idle_room', 闲置房屋: 'idle_room', 用房: 'idle_room', 房屋: 'idle_room', 空地: 'vacant_land', 闲置地: 'idle_land', 闲置用地: 'idle_land', 边角地: 'corner_land', 边角用地: 'corner_land', room: 'idle_room', plot: 'vacant_land' },
  },
  { key: 'area_m2', type: 'area', zh: '面积 (m²)', en: 'Area (m²)', aliases: ['面积', '建筑面积', '用地面积', '占地面积', '可用面积', 'area_m2', 'area'] },
  // "产权单位" reads as "产权": the importer takes 单位 for a unit ("单位: m²"), hence the alias 产权
  { key: 'owner', type: 'string', zh: '权属/产权单位', en: 'Owner', aliases: ['权属', '产权', '产权单位', '权属单位', '产权人', '所有权人', 'owner'] },
  { key: 'synthetic', type: 'bool', zh: '演示数据', en: 'Demonstration', aliases: ['synthetic', '演示数据', 'demonstration'] },
  { key: 'source', type: 'string', zh: '来源', en: 'Source', aliases: ['source', '来源', '数据来源'] },
  ...COORDS,
];

export function fieldsOf(kind: ImportKind): FieldDef[] {
  return kind === 'communities' ? COMMUNITY_FIELDS : kind === 'facilities' ? FACILITY_FIELDS : kind === 'spare_sites' ? SPARE_SITE_FIELDS : ROAD_FIELDS;
}

/** OSM highway=* → our road class; null = not part of the walking network. */
export function roadClassFromOsm(highway: string): RoadClass | null {
  switch (highway) {
    case 'motorway':
    case 'motorway_link':
    case 'trunk':
    case 'trunk_link':
      return 'motorway';
    case 'primary':
    case 'primary_link':
      return 'primary';
    case 'secondary':
    case 'secondary_link':
    case 'tertiary':
    case 'tertiary_link':
      return 'secondary';
    case 'residential':
    case 'living_street':
    case 'unclassified':
    case 'road':
      return 'residential';
    case 'service':
      return 'service';
    case 'footway':
    case 'pedestrian':
    case 'steps':
    case 'cycleway':
      return 'footway';
    case 'path':
    case 'track':
    case 'bridleway':
      return 'path';
    default:
      return null;
  }
}
