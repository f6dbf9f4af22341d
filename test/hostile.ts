/**
 * Hostile import files (issue 16), generated at test time so no large binary is committed:
 * a .dbf claiming 2×10⁹ records, zip bombs with honest and lying size headers, an XLSX of 1,048,576 rows,
 * a workbook with a `ref="__proto__"` comment (CVE-2023-30533), and the bytes of a CSV with a huge header.
 * The zip writer is hand-made (stored/deflated entries with the sizes we choose), because a zip bomb is a
 * zip whose headers say what we want, not what the data is.
 */
import { deflateRawSync, constants } from 'node:zlib';
import JSZip from 'jszip';
import * as XLSX from '@e965/xlsx';

export interface ZipEntry {
  name: string;
  /** the content (deflated here) … */
  data?: Uint8Array;
  /** … or a raw deflate stream with its true inflated size */
  deflated?: { bytes: Uint8Array; size: number };
  /** the inflated size written in the headers (default: the true size) */
  declared?: number;
}

const u16 = (v: number) => Buffer.from([v & 0xff, (v >>> 8) & 0xff]);
const u32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
};

/** A zip archive with the given entries (deflate, CRC 0: readers that check CRCs are not the target). */
export function makeZip(entries: ZipEntry[]): Uint8Array {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const comp = e.deflated ? Buffer.from(e.deflated.bytes) : deflateRawSync(e.data ?? new Uint8Array());
    const size = e.deflated ? e.deflated.size : (e.data?.length ?? 0);
    const declared = e.declared ?? size;
    const common = Buffer.concat([u16(20), u16(0x0800), u16(8), u16(0), u16(0x21), u32(0), u32(comp.length), u32(declared), u16(name.length), u16(0)]);
    const lh = Buffer.concat([u32(0x04034b50), common, name]);
    local.push(lh, comp);
    central.push(Buffer.concat([u32(0x02014b50), u16(20), common, u16(0), u16(0), u16(0), u32(0), u32(offset), name]));
    offset += lh.length + comp.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(entries.length), u16(entries.length), u32(cd.length), u32(offset), u16(0)]);
  return new Uint8Array(Buffer.concat([...local, cd, end]));
}

/**
 * A raw deflate stream inflating to `mib` MiB of `byte`, about 1 KB per MiB: one MiB compressed with a full
 * flush (so each copy is independent and identical), repeated, then an empty final block.
 */
export function deflateBomb(mib: number, byte = 0x20): { bytes: Uint8Array; size: number } {
  const block = deflateRawSync(Buffer.alloc(1 << 20, byte), { finishFlush: constants.Z_FULL_FLUSH });
  const parts: Buffer[] = [];
  for (let i = 0; i < mib; i++) parts.push(block);
  parts.push(Buffer.from([0x03, 0x00])); // final fixed-Huffman block holding nothing
  return { bytes: new Uint8Array(Buffer.concat(parts)), size: mib * (1 << 20) };
}

/** A .shp holding one point (Jiangbei). */
export function pointShp(x = 121.55, y = 29.9): Uint8Array {
  const b = Buffer.alloc(128);
  b.writeInt32BE(9994, 0);
  b.writeInt32BE(64, 24); // file length in 16-bit words
  b.writeInt32LE(1000, 28);
  b.writeInt32LE(1, 32); // point
  [x, y, x, y].forEach((v, i) => b.writeDoubleLE(v, 36 + i * 8));
  b.writeInt32BE(1, 100); // record number
  b.writeInt32BE(10, 104); // content length in words
  b.writeInt32LE(1, 108);
  b.writeDoubleLE(x, 112);
  b.writeDoubleLE(y, 120);
  return new Uint8Array(b);
}

/** A .dbf with one text field NAME and one record, whose header claims `claimed` records. */
export function dbf(claimed = 1, name = 'A'): Uint8Array {
  const headerLen = 32 + 32 + 1;
  const recLen = 1 + 10;
  const b = Buffer.alloc(headerLen + recLen + 1, 0);
  b[0] = 0x03;
  b.writeUInt32LE(claimed >>> 0, 4);
  b.writeUInt16LE(headerLen, 8);
  b.writeUInt16LE(recLen, 10);
  b.write('NAME', 32, 'ascii');
  b[32 + 11] = 'C'.charCodeAt(0);
  b[32 + 16] = 10;
  b[64] = 0x0d;
  b.write(' ' + name.padEnd(10, ' '), headerLen, 'ascii');
  b[headerLen + recLen] = 0x1a;
  return new Uint8Array(b);
}

/** A small valid workbook (one sheet, a header and one row) as XLSX bytes. */
export function smallWorkbook(): Uint8Array {
  const ws = XLSX.utils.aoa_to_sheet([
    ['小区名称', '经度', '纬度'],
    ['甲小区', 121.55, 29.9],
  ]);
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, 'Sheet1');
  return new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }));
}

/** Replace or add entries of an XLSX (a zip) with JSZip. */
export async function editZip(bytes: Uint8Array, files: Record<string, string>): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  for (const [name, text] of Object.entries(files)) zip.file(name, text);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** The sheet XML of a worksheet with `rows` rows of `cols` numbers each (cols ≤ 26). */
export function sheetXml(rows: number, cols = 1): string {
  const parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'];
  const letters = Array.from({ length: cols }, (_, k) => String.fromCharCode(65 + k));
  for (let r = 1; r <= rows; r++) parts.push(`<row r="${r}">${letters.map((l, k) => `<c r="${l}${r}"><v>${r * 10 + k}</v></c>`).join('')}</row>`);
  parts.push('</sheetData></worksheet>');
  return parts.join('');
}

/** An XLSX whose first sheet has `rows` rows of `cols` numbers (deflated with zlib: fast enough for 1,048,576 rows). */
export async function bigWorkbook(rows: number, cols = 1): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(smallWorkbook());
  const entries: ZipEntry[] = [];
  for (const f of Object.values(zip.files)) {
    if (f.dir) continue;
    const data = f.name === 'xl/worksheets/sheet1.xml' ? new TextEncoder().encode(sheetXml(rows, cols)) : await f.async('uint8array');
    entries.push({ name: f.name, data });
  }
  return makeZip(entries);
}

/** An XLSX whose sheet entry is a bomb (true size `mib` MiB, declared size `declared`). */
export async function workbookBomb(mib: number, declared?: number): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(smallWorkbook());
  const entries: ZipEntry[] = [];
  for (const f of Object.values(zip.files)) {
    if (f.dir) continue;
    if (f.name === 'xl/worksheets/sheet1.xml') entries.push({ name: f.name, deflated: deflateBomb(mib), declared });
    else entries.push({ name: f.name, data: await f.async('uint8array') });
  }
  return makeZip(entries);
}

/** A workbook with a comment whose ref is "__proto__" (CVE-2023-30533), built by editing the zip. */
export async function protoCommentWorkbook(): Promise<Uint8Array> {
  const ws = XLSX.utils.aoa_to_sheet([
    ['小区名称', '经度', '纬度'],
    ['甲小区', 121.55, 29.9],
  ]);
  ws.A1.c = [{ a: 'x', t: 'note' }];
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, 'Sheet1');
  const zip = await JSZip.loadAsync(new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' })));
  const name = Object.keys(zip.files).find((n) => /^xl\/comments\d*\.xml$/.test(n));
  if (!name) throw new Error('SheetJS wrote no comments part');
  const xml = await zip.file(name)!.async('string');
  const hostile = xml.replace(/ref="A1"/, 'ref="__proto__"').replace(/<t[^>]*>x<\/t>/, '<t>polluted</t>');
  if (!hostile.includes('ref="__proto__"')) throw new Error('the comment ref was not replaced');
  zip.file(name, hostile);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}
