/**
 * A bounded FlatGeobuf reader for untrusted files.
 *
 * flatgeobuf's own deserialize() trusts the bytes: a header with featuresCount = 0 and an index node size
 * makes its packed-tree size loop spin forever, and garbage vector lengths make its geometry loops run
 * for billions of steps (both found by our fuzz test). This reader walks the same structure with
 * flatgeobuf's generated classes and its own GeoJSON conversion (fromFeature), but first checks every
 * length against the bytes that hold it, so each loop is bounded by the file size: O(bytes).
 * (flatbuffers is flatgeobuf's own dependency; we use its ByteBuffer exactly as flatgeobuf does.)
 */
import * as flatbuffers from 'flatbuffers';
import { Header } from 'flatgeobuf/lib/mjs/flat-geobuf/header.js';
import { Feature as FgbFeature } from 'flatgeobuf/lib/mjs/flat-geobuf/feature.js';
import type { Geometry as FgbGeometry } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry.js';
import { fromByteBuffer, type HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import { fromFeature } from 'flatgeobuf/lib/mjs/geojson/feature.js';
import { calcTreeSize } from 'flatgeobuf/lib/mjs/packedrtree.js';
import type { Feature } from 'geojson';

const MAGIC = [0x66, 0x67, 0x62, 0x03];
const PREFIX = 4;

export class FgbFormatError extends Error {}

function checkGeometry(g: FgbGeometry | null, budget: number, depth: number): void {
  if (!g) return;
  if (depth > 4) throw new FgbFormatError('geometry nested too deeply');
  const lens: [string, number, number][] = [
    ['xy', g.xyLength(), 8],
    ['ends', g.endsLength(), 4],
    ['z', g.zLength(), 8],
    ['m', g.mLength(), 8],
    ['t', g.tLength(), 8],
    ['tm', g.tmLength(), 8],
    ['parts', g.partsLength(), 4],
  ];
  for (const [name, n, size] of lens)
    if (!Number.isInteger(n) || n < 0 || n * size > budget) throw new FgbFormatError(`geometry ${name} length ${n} exceeds the feature size`);
  if (g.xyLength() % 2) throw new FgbFormatError('odd number of xy coordinates');
  for (let i = 0; i < g.partsLength(); i++) checkGeometry(g.parts(i), budget, depth + 1);
}

export function readFgbBytes(bytes: Uint8Array, onHeader?: (h: HeaderMeta) => void, maxFeatures = 2_000_000): Feature[] {
  if (bytes.length < 12 || !MAGIC.every((b, i) => bytes[i] === b)) throw new FgbFormatError(bytes.length < 12 ? 'too short for a FlatGeobuf file' : 'not a FlatGeobuf v3 file (magic bytes)');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = dv.getUint32(8, true);
  if (headerLength < 4 || 12 + headerLength > bytes.length) throw new FgbFormatError(`header length ${headerLength} does not fit the file`);
  // the header is read from a copy holding nothing but the header, so no offset can reach past it
  const headerBytes = bytes.slice(0, 12 + headerLength);
  const hbb = new flatbuffers.ByteBuffer(headerBytes);
  hbb.setPosition(8);
  const header = Header.getSizePrefixedRootAsHeader(hbb);
  if (header.columnsLength() * 4 > headerLength || header.envelopeLength() * 8 > headerLength) throw new FgbFormatError('header vector lengths exceed the header');
  hbb.setPosition(8);
  const meta = fromByteBuffer(hbb);
  onHeader?.(meta);
  let offset = 12 + headerLength;
  const count = Number(meta.featuresCount);
  if (meta.indexNodeSize > 0 && count > 0) {
    if (count > bytes.length) throw new FgbFormatError(`feature count ${count} exceeds the file size`);
    offset += calcTreeSize(count, meta.indexNodeSize);
  }
  const out: Feature[] = [];
  while (offset < bytes.length) {
    if (offset + PREFIX > bytes.length) throw new FgbFormatError(`truncated feature at byte ${offset}`);
    const len = dv.getUint32(offset, true);
    if (len < 4 || offset + PREFIX + len > bytes.length) throw new FgbFormatError(`feature ${out.length + 1} (${len} bytes at byte ${offset}) does not fit the file`);
    const fbb = new flatbuffers.ByteBuffer(bytes.slice(offset, offset + PREFIX + len));
    const f = FgbFeature.getSizePrefixedRootAsFeature(fbb);
    if (f.propertiesLength() > len || f.columnsLength() * 4 > len) throw new FgbFormatError(`feature ${out.length + 1}: property lengths exceed the feature`);
    checkGeometry(f.geometry(), len, 0);
    out.push(fromFeature(out.length, f, meta) as unknown as Feature);
    if (out.length > maxFeatures) throw new FgbFormatError(`more than ${maxFeatures} features`);
    offset += PREFIX + len;
  }
  return out;
}
