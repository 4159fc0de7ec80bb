-- 002: failed-PIN back-off that survives closing and reopening the wallet.
-- One row; counts consecutive wrong PINs and when the last one happened (no personal data).
CREATE TABLE pin_attempts (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    failed         INTEGER NOT NULL DEFAULT 0,
    last_failed_at INTEGER NOT NULL DEFAULT 0
) STRICT;

INSERT INTO pin_attempts (id, failed, last_failed_at) VALUES (1, 0, 0);
