/**
 * The view in the URL, so a link opens the same view: selected community, active side-panel mode and the
 * map position. It lives in the hash (`#c=C07&m=pool&ll=121.5512,29.8901&z=13.2`), which works on any static
 * server and never reaches the server. Parsing is forgiving: a bad part is dropped, the rest is kept, so an
 * edited or truncated link still opens something sensible.
 */

export interface ViewState {
  selected?: string | null;
  mode?: string;
  /** [lon, lat] */
  center?: [number, number];
  zoom?: number;
}

const MODE_RE = /^[a-z][a-z0-9_-]{0,31}$/i;

export function parseViewHash(hash: string): ViewState {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  const q = new URLSearchParams(h);
  const v: ViewState = {};
  const c = q.get('c');
  if (c) v.selected = c;
  const m = q.get('m');
  if (m && MODE_RE.test(m)) v.mode = m;
  const ll = q.get('ll');
  if (ll) {
    const parts = ll.split(',').map(Number);
    if (parts.length === 2 && parts.every(Number.isFinite) && Math.abs(parts[0]) <= 180 && Math.abs(parts[1]) <= 90)
      v.center = [parts[0], parts[1]];
  }
  const z = q.get('z');
  if (z !== null && z !== '') {
    const n = Number(z);
    if (Number.isFinite(n) && n >= 0 && n <= 24) v.zoom = n;
  }
  return v;
}

/** Format a view as a hash (with the leading '#'). Coordinates are rounded to ~1 m, zoom to 0.01. */
export function formatViewHash(v: ViewState): string {
  const q = new URLSearchParams();
  if (v.selected) q.set('c', v.selected);
  if (v.mode) q.set('m', v.mode);
  if (v.center) q.set('ll', `${v.center[0].toFixed(5)},${v.center[1].toFixed(5)}`);
  if (v.zoom !== undefined) q.set('z', String(Math.round(v.zoom * 100) / 100));
  const s = q.toString().replace(/%2C/g, ',');
  return s ? `#${s}` : '';
}
