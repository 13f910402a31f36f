-- Schema version 2 of the SQLite store (pinned: record-tables.test.ts checks that the declarations in record-tables.ts
-- still give exactly this; a change to them needs a new version and a migration). Version 2 is version 1
-- (schema-v1.sql) plus publications_source_id_any, publications_campaign_id_created and
-- publications_failure_code; a version-1 file is brought to 2 when opened.

CREATE TABLE campaigns (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  is_referral INTEGER NOT NULL,
  auto_update INTEGER NOT NULL,
  active INTEGER NOT NULL,
  code_config TEXT NOT NULL,
  discount TEXT,
  gift TEXT,
  loyalty_card TEXT,
  start_date TEXT,
  expiration_date TEXT,
  redemption_quantity INTEGER,
  category TEXT,
  category_id TEXT,
  metadata TEXT NOT NULL,
  created_at TEXT NOT NULL
);
-- findCampaignByName.
CREATE INDEX campaigns_name ON campaigns (name);

CREATE TABLE vouchers (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  code TEXT NOT NULL,
  campaign_id TEXT,
  type TEXT NOT NULL,
  discount TEXT,
  gift TEXT,
  loyalty_card TEXT,
  category TEXT,
  category_id TEXT,
  start_date TEXT,
  expiration_date TEXT,
  validity_timeframe TEXT,
  validity_day_of_week TEXT,
  active INTEGER NOT NULL,
  additional_info TEXT,
  metadata TEXT NOT NULL,
  is_referral_code INTEGER NOT NULL,
  holder_id TEXT,
  publish_count INTEGER NOT NULL,
  redemption_quantity INTEGER,
  redeemed_quantity INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT
);
CREATE UNIQUE INDEX vouchers_code ON vouchers (code);
-- campaignStock's total.
CREATE INDEX vouchers_campaign ON vouchers (campaign_id);
-- findPublishableVoucher and campaignStock's publishable count: only the vouchers
-- still in the pool are in it, so a campaign with 1M published vouchers and a few
-- left costs a few entries, not a scan past the published ones.
CREATE INDEX vouchers_publishable ON vouchers (campaign_id, created_at, seq) WHERE active = 1 AND holder_id IS NULL;

CREATE TABLE customers (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  source_id TEXT,
  name TEXT,
  email TEXT,
  phone TEXT,
  description TEXT,
  birthdate TEXT,
  address TEXT,
  metadata TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT
);
CREATE UNIQUE INDEX customers_source_id ON customers (source_id) WHERE source_id IS NOT NULL;
-- listCustomers (newest first).
CREATE INDEX customers_created ON customers (created_at, seq);

CREATE TABLE publications (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  tracking_id TEXT,
  metadata TEXT NOT NULL,
  channel TEXT NOT NULL,
  source_id TEXT,
  result TEXT NOT NULL CHECK (result IN ('SUCCESS', 'FAILURE')),
  campaign_id TEXT,
  multiple INTEGER NOT NULL,
  failure_code TEXT,
  failure_message TEXT,
  -- Copies for listing: the campaign's name and the first voucher's code, type
  -- (discount | gift | loyalty) and referral flag; null without a campaign / voucher.
  campaign_name TEXT,
  voucher_code TEXT,
  voucher_type TEXT,
  is_referral_code INTEGER
);
-- A source_id is used once by a success; failures may repeat it.
CREATE UNIQUE INDEX publications_source_id ON publications (source_id) WHERE result = 'SUCCESS';
-- join_once: the customer's first success from the campaign.
CREATE INDEX publications_joined ON publications (customer_id, campaign_id, seq) WHERE result = 'SUCCESS';
-- Lists filtered by customer (or campaign), newest or oldest first; the default order.
CREATE INDEX publications_customer_created ON publications (customer_id, created_at, seq);
CREATE INDEX publications_campaign_created ON publications (campaign_name, created_at, seq);
CREATE INDEX publications_created ON publications (created_at, seq);

CREATE TABLE publication_vouchers (
  publication_id TEXT NOT NULL,
  voucher_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (publication_id, position)
) WITHOUT ROWID;
-- voucher_code filters: from the code's voucher to its publications.
CREATE INDEX publication_vouchers_voucher ON publication_vouchers (voucher_id);

CREATE TABLE sequences (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- Added later in version 1 (created on every open when missing).
CREATE INDEX IF NOT EXISTS vouchers_held_loyalty ON vouchers (holder_id, created_at, seq) WHERE type = 'LOYALTY_CARD' AND holder_id IS NOT NULL;

-- Added in version 2 (created on open in a version-1 file).
CREATE INDEX IF NOT EXISTS publications_source_id_any ON publications (source_id) WHERE source_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS publications_campaign_id_created ON publications (campaign_id, created_at, seq);
CREATE INDEX IF NOT EXISTS publications_failure_code ON publications (failure_code, created_at, seq) WHERE failure_code IS NOT NULL;
