-- 002: records of kind 'part': one record per community (or per special work) of a slice that a shared project keeps
-- in pieces (src/lib/state/parts.ts: content plans and surveys …), keyed '<slice>:<id>', so a 街道 edits its own
-- communities' pieces and a department its own works.
ALTER TABLE records DROP CONSTRAINT records_kind_check;
ALTER TABLE records ADD CONSTRAINT records_kind_check CHECK (kind IN ('community', 'slice', 'part'));
