-- 003: failed sign-ins, so that every server process on one database applies the same rate limit
-- (server/auth.ts DbLoginLimiter); rows older than the window are deleted as new failures arrive.
CREATE TABLE login_failures (
  key  text NOT NULL,          -- 'ip:<address>' or 'user:<name>'
  at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_key ON login_failures (key, at);
