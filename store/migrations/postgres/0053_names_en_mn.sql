-- Issue 15 §6. Units and categories get English and Mongolian names beside
-- their Chinese one, which admins give; a unit or category without a row
-- here, or with '', shows its Chinese name. Tables of their own rather
-- than columns: created IF NOT EXISTS, the migration can run again on a
-- database taken back to an older schema (as tests do), which SQLite's
-- ADD COLUMN cannot.
CREATE TABLE IF NOT EXISTS unit_names (
  code TEXT PRIMARY KEY,
  name_en TEXT NOT NULL DEFAULT '',
  name_mn TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS category_names (
  code TEXT PRIMARY KEY,
  name_en TEXT NOT NULL DEFAULT '',
  name_mn TEXT NOT NULL DEFAULT ''
);
