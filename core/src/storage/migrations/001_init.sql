-- 001: the first wallet schema.
-- Every personal value is sealed (XChaCha20-Poly1305, see storage/cipher.rs). Columns named
-- *_sealed hold `version || nonce || ciphertext`; columns named *_tag hold keyed hashes.

-- Non-secret wallet facts: wallet id, creation time, the sealed canary.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value ANY NOT NULL
) STRICT;

-- The data key (DEK), wrapped once per way of unlocking: a PIN (Argon2id) or a platform key
-- provider. Changing a PIN or provider rewrites one row here and nothing else.
CREATE TABLE key_slots (
    slot       TEXT PRIMARY KEY NOT NULL,          -- 'pin' or 'provider'
    key_id     TEXT NOT NULL,                      -- provider key id, or 'argon2id'
    wrapped    BLOB NOT NULL,                      -- the wrapped DEK
    salt       BLOB,                               -- PIN slot: 16-byte Argon2 salt
    kdf_params TEXT,                               -- PIN slot: JSON Argon2id parameters
    created_at INTEGER NOT NULL
) STRICT;

-- The holder's Ed25519 key (software key; see README, "Holder key"), sealed under the DEK.
CREATE TABLE holder_key (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    seed_sealed BLOB NOT NULL
) STRICT;

-- Credentials. `type_tag` is HMAC(tag key, type) so listing by type reads no plaintext.
CREATE TABLE credentials (
    id             TEXT PRIMARY KEY NOT NULL,      -- random 128-bit hex; not personal
    type_tag       BLOB NOT NULL,
    payload_sealed BLOB NOT NULL,                  -- the credential's fields (JSON)
    issued_sealed  BLOB,                           -- the issuer's SD-CWT, NULL if self-added
    added_at       INTEGER NOT NULL
) STRICT;

CREATE INDEX credentials_by_type ON credentials (type_tag, added_at);
