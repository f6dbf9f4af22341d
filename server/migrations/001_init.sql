-- 001: users, sessions, projects, communities, versioned records, append-only audit log.
-- Runs unchanged on PostgreSQL 15+ and on PGlite (PostgreSQL 18 in WASM). Geometry is not stored here:
-- the server keeps what people decide (edits, votes, stages, progress), the map data stays in the app.

CREATE TABLE users (
  id          serial PRIMARY KEY,
  username    text NOT NULL UNIQUE CHECK (length(username) BETWEEN 1 AND 64),
  display     text NOT NULL CHECK (length(display) BETWEEN 1 AND 200),
  role        text NOT NULL CHECK (role IN ('admin', 'street', 'department', 'viewer')),
  street      text,            -- the 街道 a street editor works for
  department  text,            -- the department a department editor works for
  pw_hash     text NOT NULL,   -- scrypt$N$r$p$salt$hash (node:crypto scrypt, memory-hard)
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (role <> 'street' OR street IS NOT NULL),
  CHECK (role <> 'department' OR department IS NOT NULL)
);

CREATE TABLE sessions (
  token_hash  text PRIMARY KEY,          -- sha256 of the cookie value; the cookie itself is never stored
  user_id     integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf        text NOT NULL,             -- per-session token, sent back in X-CSRF-Token on every change
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);

CREATE TABLE projects (
  id          serial PRIMARY KEY,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- which 街道 each community belongs to: the server decides street permissions from this, never from the client
CREATE TABLE communities (
  project_id  integer NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  id          text NOT NULL,
  name        text NOT NULL,
  street      text NOT NULL,
  PRIMARY KEY (project_id, id)
);

-- one row per record: kind 'community' (a community's edits: attributes, pool, batch, workflow, votes) keyed by the
-- community id, or kind 'slice' (a project-wide slice: rubric, bundles, views …) keyed by the slice key
CREATE TABLE records (
  project_id  integer NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('community', 'slice')),
  key         text NOT NULL,
  value       jsonb,                      -- NULL = deleted / back to the dataset's values
  version     integer NOT NULL CHECK (version >= 1),
  updated_by  integer REFERENCES users(id),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, kind, key)
);

-- every successful change, in order; never updated or deleted (enforced by the trigger below)
CREATE TABLE audit (
  seq         bigserial PRIMARY KEY,
  project_id  integer NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  kind        text NOT NULL,
  key         text NOT NULL,
  version     integer NOT NULL,
  user_id     integer REFERENCES users(id),
  username    text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  op_id       text NOT NULL,              -- the client's id of the edit: a retried edit is applied once
  label       text NOT NULL DEFAULT '',
  before      jsonb,
  after       jsonb,
  UNIQUE (project_id, op_id)
);
CREATE INDEX audit_record ON audit (project_id, kind, key, seq);

CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();

-- a 街道's monthly progress report per community (stage, percentage, notes or photo links)
CREATE TABLE progress_reports (
  id          bigserial PRIMARY KEY,
  project_id  integer NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  community   text NOT NULL,
  street      text NOT NULL,
  month       text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  stage       text NOT NULL,
  percent     integer NOT NULL CHECK (percent BETWEEN 0 AND 100),
  note        text NOT NULL DEFAULT '' CHECK (length(note) <= 4000),
  links       jsonb NOT NULL DEFAULT '[]',
  user_id     integer REFERENCES users(id),
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX progress_month ON progress_reports (project_id, month, street);
