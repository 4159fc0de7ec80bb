-- 003: the lean store. Payloads are rewritten from JSON to compact CBOR (storage/payload.rs)
-- at the first unlock, which also fills the new sealed summary; a row whose summary is NULL
-- was written before this migration and still holds JSON.
ALTER TABLE credentials ADD COLUMN summary_sealed BLOB;  -- type, label, issuer, expiry (CBOR)

-- Rows still to rewrite: empty once the first unlock has run, so finding none costs nothing.
CREATE INDEX credentials_unsummarized ON credentials (id) WHERE summary_sealed IS NULL;
