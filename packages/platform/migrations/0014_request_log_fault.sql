-- Injected inbound faults are visible in the request log (issue 14): what faults/service.ts
-- injected into a partner's own call (e.g. `503.1 (rate 1, s2p)`, the `Cardport-Fault` header's
-- value), NULL for a call answered normally.
ALTER TABLE request_log ADD COLUMN injected TEXT;
