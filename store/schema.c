/*
 * schema.c -- kowatch's SQLite schema as a numbered list of migrations.
 *
 * kw__store_migrations[i] takes a database from PRAGMA user_version i to
 * i + 1; store.c runs the missing ones in one transaction and then sets
 * user_version.  Scripts are static text, never built from input.  A
 * released script is never edited: a change is a new migration.
 *
 * Schema 1 holds the whole of DESIGN.md's outline so that later features
 * only add migrations.  Conventions: times are seconds since the epoch
 * (INTEGER), 0 meaning unknown or never; ids are INTEGER PRIMARY KEY; the
 * url role and state columns hold the kw_url_role and kw_url_state enum
 * values; source kind holds kw_source_kind_name() text.
 */
#include "store_int.h"

static const char *const migration_1[] = {
    "PRAGMA application_id = 1264005169;\n", /* KW_STORE_APP_ID, "KW01" */

    "CREATE TABLE sources (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE,\n"
    "  url TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL,\n"
    "  every_s INTEGER NOT NULL DEFAULT 0,\n"
    "  link_pattern TEXT,\n"
    "  next_pattern TEXT,\n"
    "  list_depth INTEGER NOT NULL DEFAULT 1,\n"
    "  detail_template TEXT,\n"
    "  charset TEXT,\n"
    "  created_at INTEGER NOT NULL DEFAULT 0,\n"
    "  last_fetch_at INTEGER NOT NULL DEFAULT 0,\n"
    "  last_success_at INTEGER NOT NULL DEFAULT 0,\n"
    "  last_error_at INTEGER NOT NULL DEFAULT 0,\n"
    "  last_error TEXT,\n"
    "  error_count INTEGER NOT NULL DEFAULT 0,\n"
    "  items_total INTEGER NOT NULL DEFAULT 0,\n"
    "  next_due_at INTEGER NOT NULL DEFAULT 0\n"
    ");\n",

    "CREATE TABLE urls (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  url TEXT NOT NULL UNIQUE,\n"
    "  source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,\n"
    "  role INTEGER NOT NULL,\n"
    "  depth INTEGER NOT NULL DEFAULT 0,\n"
    "  state INTEGER NOT NULL DEFAULT 1,\n"
    "  next_fetch_at INTEGER NOT NULL DEFAULT 0,\n"
    "  etag TEXT,\n"
    "  last_modified TEXT,\n"
    "  failures INTEGER NOT NULL DEFAULT 0,\n"
    "  last_status INTEGER NOT NULL DEFAULT 0,\n"
    "  discovered_at INTEGER NOT NULL DEFAULT 0,\n"
    "  fetched_at INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE INDEX urls_due ON urls(state, next_fetch_at);\n"
    "CREATE INDEX urls_source ON urls(source_id);\n",

    "CREATE TABLE fetches (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  url_id INTEGER NOT NULL REFERENCES urls(id) ON DELETE CASCADE,\n"
    "  at INTEGER NOT NULL,\n"
    "  status INTEGER NOT NULL DEFAULT 0,\n"
    "  content_type TEXT,\n"
    "  bytes INTEGER NOT NULL DEFAULT 0,\n"
    "  elapsed_ms INTEGER NOT NULL DEFAULT 0,\n"
    "  warc_file TEXT,\n"
    "  warc_offset INTEGER NOT NULL DEFAULT -1,\n"
    "  warc_length INTEGER NOT NULL DEFAULT 0,\n"
    "  error TEXT\n"
    ");\n"
    "CREATE INDEX fetches_url ON fetches(url_id, at);\n",

    "CREATE TABLE articles (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  url_id INTEGER NOT NULL UNIQUE\n"
    "    REFERENCES urls(id) ON DELETE CASCADE,\n"
    "  source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,\n"
    "  fetch_id INTEGER REFERENCES fetches(id) ON DELETE SET NULL,\n"
    "  url TEXT NOT NULL,\n"
    "  canonical_url TEXT,\n"
    "  kind TEXT NOT NULL DEFAULT 'article',\n"
    "  title TEXT,\n"
    "  published_at INTEGER NOT NULL DEFAULT 0,\n"
    "  published_offset INTEGER NOT NULL DEFAULT 0,\n"
    "  byline TEXT,\n"
    "  site TEXT,\n"
    "  department TEXT,\n"
    "  lang TEXT,\n"
    "  text TEXT,\n"
    "  content_hash INTEGER NOT NULL,\n"
    "  fingerprint INTEGER,\n"
    "  cluster INTEGER,\n"
    "  fetched_at INTEGER NOT NULL DEFAULT 0,\n"
    "  updated_at INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE INDEX articles_published ON articles(published_at);\n"
    "CREATE INDEX articles_when\n"
    "  ON articles(COALESCE(NULLIF(published_at, 0), fetched_at));\n"
    "CREATE INDEX articles_source ON articles(source_id);\n"
    "CREATE INDEX articles_cluster ON articles(cluster);\n"
    "CREATE INDEX articles_fetch ON articles(fetch_id);\n",

    "CREATE TABLE attachments (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  article_id INTEGER NOT NULL\n"
    "    REFERENCES articles(id) ON DELETE CASCADE,\n"
    "  name TEXT,\n"
    "  url TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX attachments_article ON attachments(article_id);\n",

    /* External content: the text lives once, in articles; triggers keep
     * the index in step with every insert, update and delete. */
    "CREATE VIRTUAL TABLE articles_fts USING fts5(\n"
    "  title, text, content='articles', content_rowid='id',\n"
    "  tokenize='" KW_STORE_FTS_TOKENIZE "'\n"
    ");\n"
    "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN\n"
    "  INSERT INTO articles_fts(rowid, title, text)\n"
    "    VALUES (new.id, new.title, new.text);\n"
    "END;\n"
    "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN\n"
    "  INSERT INTO articles_fts(articles_fts, rowid, title, text)\n"
    "    VALUES ('delete', old.id, old.title, old.text);\n"
    "END;\n"
    "CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text\n"
    "  ON articles BEGIN\n"
    "  INSERT INTO articles_fts(articles_fts, rowid, title, text)\n"
    "    VALUES ('delete', old.id, old.title, old.text);\n"
    "  INSERT INTO articles_fts(rowid, title, text)\n"
    "    VALUES (new.id, new.title, new.text);\n"
    "END;\n",

    "CREATE TABLE entities (\n"
    "  id TEXT PRIMARY KEY,\n"
    "  type TEXT,\n"
    "  name TEXT NOT NULL,\n"
    "  data TEXT\n" /* JSON: aliases, products, ... */
    ");\n",

    "CREATE TABLE mentions (\n"
    "  article_id INTEGER NOT NULL\n"
    "    REFERENCES articles(id) ON DELETE CASCADE,\n"
    "  entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,\n"
    "  count INTEGER NOT NULL DEFAULT 1,\n"
    "  offsets TEXT,\n" /* JSON array of byte offsets into text */
    "  PRIMARY KEY (article_id, entity_id)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX mentions_entity ON mentions(entity_id, article_id);\n",

    "CREATE TABLE events (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  article_id INTEGER NOT NULL\n"
    "    REFERENCES articles(id) ON DELETE CASCADE,\n"
    "  entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,\n"
    "  stance TEXT NOT NULL,\n"
    "  sentence TEXT,\n"
    "  event_at INTEGER NOT NULL DEFAULT 0,\n"
    "  event_offset INTEGER NOT NULL DEFAULT 0,\n"
    "  published_at INTEGER NOT NULL DEFAULT 0,\n"
    "  created_at INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE INDEX events_entity ON events(entity_id, event_at);\n"
    "CREATE INDEX events_article ON events(article_id);\n",

    "CREATE TABLE saved_searches (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE,\n"
    "  query TEXT NOT NULL,\n"
    "  created_at INTEGER NOT NULL DEFAULT 0\n"
    ");\n",

    /* One alert per transition: queries/ derives transition_key (e.g.
     * entity and new stance for a re-entry, search and cluster for a
     * saved search) so copies of one story never alert twice. */
    "CREATE TABLE alerts (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  kind TEXT NOT NULL,\n" /* 'reentry' or 'search' */
    "  transition_key TEXT NOT NULL,\n"
    "  entity_id TEXT REFERENCES entities(id) ON DELETE SET NULL,\n"
    "  stance TEXT,\n"
    "  event_id INTEGER REFERENCES events(id) ON DELETE SET NULL,\n"
    "  search_id INTEGER\n"
    "    REFERENCES saved_searches(id) ON DELETE SET NULL,\n"
    "  date INTEGER NOT NULL DEFAULT 0,\n"
    "  url TEXT,\n"
    "  sentence TEXT,\n"
    "  is_backfill INTEGER NOT NULL DEFAULT 0,\n"
    "  created_at INTEGER NOT NULL DEFAULT 0,\n"
    "  UNIQUE (kind, transition_key)\n"
    ");\n"
    "CREATE INDEX alerts_entity ON alerts(entity_id);\n",

    "CREATE TABLE channels (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  kind TEXT NOT NULL,\n" /* 'webhook', 'email', 'exec' */
    "  target TEXT NOT NULL,\n"
    "  options TEXT,\n" /* JSON */
    "  created_at INTEGER NOT NULL DEFAULT 0\n"
    ");\n",

    "CREATE TABLE deliveries (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,\n"
    "  channel_id INTEGER NOT NULL\n"
    "    REFERENCES channels(id) ON DELETE CASCADE,\n"
    "  state TEXT NOT NULL DEFAULT 'pending',\n"
    "  attempts INTEGER NOT NULL DEFAULT 0,\n"
    "  next_attempt_at INTEGER NOT NULL DEFAULT 0,\n"
    "  last_error TEXT,\n"
    "  delivered_at INTEGER NOT NULL DEFAULT 0,\n"
    "  UNIQUE (alert_id, channel_id)\n"
    ");\n"
    "CREATE INDEX deliveries_due ON deliveries(state, next_attempt_at);\n"
    "CREATE INDEX deliveries_channel ON deliveries(channel_id);\n",

    "CREATE TABLE hosts (\n"
    "  origin TEXT PRIMARY KEY,\n"
    "  robots TEXT,\n"
    "  robots_status INTEGER NOT NULL DEFAULT 0,\n"
    "  fetched_at INTEGER NOT NULL DEFAULT 0,\n"
    "  expires_at INTEGER NOT NULL DEFAULT 0\n"
    ");\n",
    NULL,
};

/* Schema 2: articles_fts switches to the Korean tokenizer (particles
 * stripped, compound heads indexed).  The table, with its triggers, is
 * recreated and rebuilt from articles. */
static const char *const migration_2[] = {
    "DROP TRIGGER articles_fts_ai;\n"
    "DROP TRIGGER articles_fts_ad;\n"
    "DROP TRIGGER articles_fts_au;\n"
    "DROP TABLE articles_fts;\n",

    "CREATE VIRTUAL TABLE articles_fts USING fts5(\n"
    "  title, text, content='articles', content_rowid='id',\n"
    "  tokenize='" KW_STORE_FTS_TOKENIZE_KO "'\n"
    ");\n"
    "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN\n"
    "  INSERT INTO articles_fts(rowid, title, text)\n"
    "    VALUES (new.id, new.title, new.text);\n"
    "END;\n"
    "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN\n"
    "  INSERT INTO articles_fts(articles_fts, rowid, title, text)\n"
    "    VALUES ('delete', old.id, old.title, old.text);\n"
    "END;\n"
    "CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text\n"
    "  ON articles BEGIN\n"
    "  INSERT INTO articles_fts(articles_fts, rowid, title, text)\n"
    "    VALUES ('delete', old.id, old.title, old.text);\n"
    "  INSERT INTO articles_fts(rowid, title, text)\n"
    "    VALUES (new.id, new.title, new.text);\n"
    "END;\n",

    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');\n",
    NULL,
};

/* Schema 3: the due-URL query reads an index in its own order.  Seeds,
 * sitemaps and list pages (roles 1-3) come before articles; ordering by
 * an expression of role forced a scan and sort of every due row on each
 * call (438 ms at 1,000,000 URLs in bench_crawl).  prio is a virtual
 * generated column, so it can never disagree with role. */
static const char *const migration_3[] = {
    "ALTER TABLE urls ADD COLUMN prio INTEGER\n"
    "  GENERATED ALWAYS AS (CASE WHEN role IN (1, 2, 3) THEN 0 ELSE 1 END)\n"
    "  VIRTUAL;\n"
    "CREATE INDEX urls_due_prio ON urls(prio, next_fetch_at, id)\n"
    "  WHERE state IN (1, 2, 3);\n",
    NULL,
};

/* Schema 4: small named values kept between runs (store/meta.c). */
static const char *const migration_4[] = {
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);\n",
    NULL,
};

/* Schema 5: each source's adapted polling interval (issue 3).  0 means
 * not adapted yet: poll every every_s.  Kept in its own column because
 * next_due_at - last_fetch_at stops being the interval after a failed
 * poll (next_due_at is then the retry time). */
static const char *const migration_5[] = {
    "ALTER TABLE sources ADD COLUMN poll_interval_s INTEGER NOT NULL\n"
    "  DEFAULT 0;\n",
    NULL,
};

/* Schema 6: notice attachments reached through script links (MSIT's
 * fn_download(...) POSTs a form), and the text of fetched attachments
 * (HWPX, HWP, PDF), which becomes part of the notice's searchable text.
 * The text belongs to the fetched URL (attachment_texts), which several
 * notices may link; articles.attachments_text joins the texts of an
 * article's attachments and is the third column of the full-text index,
 * which is made again with it (its content is the articles table). */
static const char *const migration_6[] = {
    "ALTER TABLE sources ADD COLUMN attachment_template TEXT;\n"
    "ALTER TABLE sources ADD COLUMN attachment_post INTEGER NOT NULL\n"
    "  DEFAULT 0;\n"
    "CREATE TABLE attachment_texts (\n"
    "  url TEXT PRIMARY KEY,\n"
    "  fetch_id INTEGER REFERENCES fetches(id) ON DELETE SET NULL,\n"
    "  format TEXT,\n"
    "  text TEXT NOT NULL DEFAULT '',\n"
    "  error TEXT,\n"
    "  updated_at INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE INDEX attachments_url ON attachments(url);\n"
    "ALTER TABLE articles ADD COLUMN attachments_text TEXT NOT NULL\n"
    "  DEFAULT '';\n",

    "DROP TRIGGER articles_fts_ai;\n"
    "DROP TRIGGER articles_fts_ad;\n"
    "DROP TRIGGER articles_fts_au;\n"
    "DROP TABLE articles_fts;\n",

    "CREATE VIRTUAL TABLE articles_fts USING fts5(\n"
    "  title, text, attachments_text, content='articles',\n"
    "  content_rowid='id', tokenize='" KW_STORE_FTS_TOKENIZE_KO "'\n"
    ");\n"
    "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN\n"
    "  INSERT INTO articles_fts(rowid, title, text, attachments_text)\n"
    "    VALUES (new.id, new.title, new.text, new.attachments_text);\n"
    "END;\n"
    "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN\n"
    "  INSERT INTO articles_fts(articles_fts, rowid, title, text,\n"
    "                           attachments_text)\n"
    "    VALUES ('delete', old.id, old.title, old.text,\n"
    "            old.attachments_text);\n"
    "END;\n"
    "CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text,\n"
    "  attachments_text ON articles BEGIN\n"
    "  INSERT INTO articles_fts(articles_fts, rowid, title, text,\n"
    "                           attachments_text)\n"
    "    VALUES ('delete', old.id, old.title, old.text,\n"
    "            old.attachments_text);\n"
    "  INSERT INTO articles_fts(rowid, title, text, attachments_text)\n"
    "    VALUES (new.id, new.title, new.text, new.attachments_text);\n"
    "END;\n",

    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');\n",
    NULL,
};

/* Schema 7: the 'kowatch' tokenizer emits different terms (letters and
 * digits split, 'qwen2.5' is 'qwen' '2.5'; counters after numbers, '2차',
 * are '#차'; second stems of one-syllable nouns, '말로' also gives '말';
 * stacked particles and 하다 endings stripped more carefully), so the
 * index of existing articles is made again from the articles table. */
static const char *const migration_7[] = {
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');\n",
    NULL,
};

/* Schema 8: a counter after a number, '2차', is also indexed as the
 * number joined to it, '2#차', the one term a query for '2차' searches
 * (store/tokenizer.c); the index is made again. */
static const char *const migration_8[] = {
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');\n",
    NULL,
};

const char *const *const kw__store_migrations[] = {
    migration_1,
    migration_2,
    migration_3,
    migration_4,
    migration_5,
    migration_6,
    migration_7,
    migration_8,
};

const int kw__store_n_migrations =
    (int)(sizeof(kw__store_migrations) / sizeof(kw__store_migrations[0]));
