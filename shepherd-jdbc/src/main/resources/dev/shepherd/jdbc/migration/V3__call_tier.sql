-- The tier of each call on a ladder of models (shepherd-core's Tiers): NULL in rows written before, read back
-- as the role's label ("small" / "large"), which is what a two-model executor records.
ALTER TABLE shepherd_ledger_call ADD COLUMN tier VARCHAR(200);
