-- Strict mode per partner (issue 8, docs/compatibility.md): every accepted deviation from the
-- documented contract becomes the error a conservative reading of the documents gives.
ALTER TABLE partners ADD COLUMN strict BOOLEAN NOT NULL DEFAULT false;
