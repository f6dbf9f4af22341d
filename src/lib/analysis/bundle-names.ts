/**
 * Bundles as people call them (issue 11): the 街道 and the bundle's main community (the one with the most
 * households), e.g. "孔浦·怡江片区", never the internal id (B01…). The main community belongs to one bundle
 * only, so names are unique within a plan; should two communities share a name, a number tells them apart.
 *
 * Pure: the caller passes the records and the words of the reader's language.
 */
export interface NameRecord {
  name: string;
  street: string;
  households: number;
}

export interface BundleNameWords {
  /** the 街道 as shown (short form), e.g. "孔浦" / "Kongpu" */
  street(street: string): string;
  /** the whole name from its parts, e.g. `${street}·${main}片区` */
  format(street: string, main: string): string;
}

/** The community's name without the generic suffix 小区 ("怡江小区" → "怡江"); other names as they are. */
export function shortCommunityName(name: string): string {
  const s = name.replace(/小区$/, '').trim();
  return s || name;
}

/** The 街道's name without 街道 / 镇 ("孔浦街道" → "孔浦"). */
export function shortStreetName(street: string): string {
  const s = street.replace(/(街道|镇)$/, '').trim();
  return s || street;
}

/** Names by bundle id. Bundles whose members are unknown fall back to their position ("片区 3"-like via `format`). */
export function bundleNames(
  bundles: readonly { id: string; members: readonly string[] }[],
  recordOf: (id: string) => NameRecord | undefined,
  words: BundleNameWords,
): Record<string, string> {
  const out: Record<string, string> = {};
  const used = new Map<string, number>();
  bundles.forEach((b, k) => {
    let main: NameRecord | undefined;
    for (const m of [...b.members].sort()) {
      const r = recordOf(m);
      if (r && (!main || r.households > main.households)) main = r;
    }
    let name = main ? words.format(words.street(main.street), shortCommunityName(main.name)) : words.format('', String(k + 1));
    const seen = used.get(name) ?? 0;
    used.set(name, seen + 1);
    if (seen > 0) name = `${name} ${seen + 1}`;
    out[b.id] = name;
  });
  return out;
}
