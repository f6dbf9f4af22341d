/**
 * Text decoding for Chinese files: UTF-8 with or without BOM, UTF-16 with BOM, and GBK/GB18030 (what
 * Chinese Excel and ArcGIS write by default). Uses the platform TextDecoder (WHATWG Encoding: 'gb18030'
 * is a superset of GBK and GB2312), available in Node and browsers.
 *
 * Detection: a BOM decides; otherwise bytes that are valid UTF-8 are UTF-8 (GBK text of any length is
 * almost never valid UTF-8), else GB18030. O(n).
 */

export interface Decoded {
  text: string;
  encoding: 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'gb18030' | string;
}

export function decodeText(bytes: Uint8Array, declared?: string | null): Decoded {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  const label = declared ? normaliseEncodingLabel(declared) : null;
  if (label) {
    try {
      return { text: new TextDecoder(label).decode(bytes), encoding: label };
    } catch {
      // unknown label: fall through to detection
    }
  }
  if (isUtf8(bytes)) return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8' };
  return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
}

export function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** .cpg contents and DBF language-driver names → a WHATWG encoding label, or null when unknown. */
export function normaliseEncodingLabel(s: string): string | null {
  const t = s.trim().toLowerCase().replace(/^ansi\s*/, '');
  if (!t) return null;
  if (/^(utf-?8|65001)$/.test(t)) return 'utf-8';
  if (/^(gbk|gb2312|gb18030|936|cp936|windows-936|54936|cp54936|ms936)$/.test(t)) return 'gb18030';
  if (/^(big5|950|cp950)$/.test(t)) return 'big5';
  if (/^\d+$/.test(t)) return `windows-${t}`;
  try {
    new TextDecoder(t);
    return t;
  } catch {
    return null;
  }
}

/** DBF header byte 29 (language driver id) → encoding; 0x4d/0x7a are GBK (code page 936). */
export function dbfLanguageDriver(dbf: Uint8Array): string | null {
  if (dbf.length < 32) return null;
  const ldid = dbf[29];
  if (ldid === 0x4d || ldid === 0x7a) return 'gb18030';
  if (ldid === 0x4f) return 'big5';
  return null;
}
