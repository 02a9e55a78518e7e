"""The site index's tables, and the meta rows that tell whether a stored index can be used.

Schema (version :data:`SCHEMA_VERSION`)::

    meta(key TEXT PRIMARY KEY, value TEXT)
        schema   SCHEMA_VERSION          version  postctl.__version__
        root     the resolved site root  config   hash of the settings the rows depend on
        updated  ISO time of the last change
        files    the signature of the walk the rows equal (see postctl.site.walk)
        racy     JSON list of the paths whose bytes are compared again (postctl.catalog.racy)
    posts(
        id INTEGER PRIMARY KEY,       -- stable: an updated file keeps its id (not a renamed one)
        path TEXT UNIQUE NOT NULL,    -- relative to the site root, '/'-separated
        mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL, inode INTEGER NOT NULL,
        hash TEXT,                    -- blake2b-128 of the bytes (hex), NULL if unreadable
        error TEXT,                   -- NULL, or JSON {"message", "line", "col", "code"}
        title TEXT, slug TEXT, url TEXT,
        date TEXT,                    -- ISO 8601 with offset
        date_epoch REAL,              -- the same instant as a POSIX timestamp
        day TEXT,                     -- its calendar day in the site's time zone
        draft INTEGER NOT NULL,
        tags TEXT, categories TEXT, authors TEXT,                -- JSON arrays of strings
        tags_key TEXT, categories_key TEXT, authors_key TEXT,    -- the same, case-folded
        front_matter TEXT,            -- JSON, every key as written, dates as ISO strings
        defaults TEXT,                -- JSON of the Jekyll defaults: values it gets; NULL: none
        item TEXT,                    -- the list JSON item up to "expiry_date" (catalog.summary)
        kind TEXT,                    -- "post"; Hugo: "page", "section" or "home"
        publish_date TEXT, publish_epoch REAL,   -- Hugo's publishDate, as date and epoch
        expiry_date TEXT, expiry_epoch REAL,     -- Hugo's expiryDate, as date and epoch
        listed INTEGER NOT NULL       -- 0: Hugo lists it not (headless, build.list never)
    )
    posts_date ON posts(date_epoch); posts_errors ON posts(path) WHERE error IS NOT NULL;
    posts_newest ON posts(date_epoch IS NULL, date_epoch DESC, path)  -- list's order
    posts_stamps ON posts(path, mtime_ns, size, inode)  -- read alone when files changed
    stamps(id = 0, checksum, data)   -- meta.files again and its CRC-32, rewritten with it: a
                                     -- change token for older readers (use meta.files)
    listings(path, dev, inode, mtime_ns, ctime_ns, names, folders)
        -- postctl.site.walk.Listings: each post directory's stamp and names when last read
        -- (path and names as UTF-8 with surrogate escapes, names NUL-separated)

Other modules may add their own tables (full-text search keeps ``fts_*`` tables keyed by
``posts.id``; ``stats`` keeps ``words``, by ``posts.hash``, and ``stats_cache`` and
``stats_epoch`` with their triggers: postctl.catalog.words, postctl.catalog.stats). A
schema or postctl version change, a change of the site settings the rows depend on, or a
different root makes the stored index stale: :func:`reset` drops every table and creates
these anew.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from postctl.site.model import Site
from postctl.version import __version__

SCHEMA_VERSION = 10

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    path TEXT UNIQUE NOT NULL,
    mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    hash TEXT,
    error TEXT,
    title TEXT,
    slug TEXT,
    url TEXT,
    date TEXT,
    date_epoch REAL,
    day TEXT,
    draft INTEGER NOT NULL DEFAULT 0,
    tags TEXT NOT NULL DEFAULT '[]',
    categories TEXT NOT NULL DEFAULT '[]',
    authors TEXT NOT NULL DEFAULT '[]',
    tags_key TEXT NOT NULL DEFAULT '[]',
    categories_key TEXT NOT NULL DEFAULT '[]',
    authors_key TEXT NOT NULL DEFAULT '[]',
    front_matter TEXT NOT NULL DEFAULT '{}',
    defaults TEXT,
    item TEXT,
    kind TEXT NOT NULL DEFAULT 'post',
    publish_date TEXT,
    publish_epoch REAL,
    expiry_date TEXT,
    expiry_epoch REAL,
    listed INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX posts_date ON posts (date_epoch);
CREATE INDEX posts_newest ON posts (date_epoch IS NULL, date_epoch DESC, path);
CREATE INDEX posts_errors ON posts (path) WHERE error IS NOT NULL;
CREATE INDEX posts_stamps ON posts (path, mtime_ns, size, inode);
CREATE TABLE stamps (id INTEGER PRIMARY KEY CHECK (id = 0), checksum INTEGER NOT NULL,
                     data BLOB NOT NULL);
CREATE TABLE listings (path BLOB PRIMARY KEY, dev INTEGER NOT NULL, inode INTEGER NOT NULL,
                       mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,
                       names BLOB NOT NULL, folders BLOB NOT NULL);
"""

# The directory listings kept from the last walk, as postctl.site.walk.Listings reads them.
KEPT_LISTINGS = "SELECT path, dev, inode, mtime_ns, ctime_ns, names, folders FROM listings"


def config_fingerprint(site: Site) -> str:
    """Every setting the stored rows depend on, as text; a change rebuilds the index."""
    config = site.config
    return repr((
        str(site.root), site.flavour, str(site.tz), config.permalink, config.content_dir,
        config.jekyll_defaults, site.folders, config.limits, config.hugo,
    ))


def expected_meta(site: Site) -> dict[str, str]:
    """The meta rows an index of ``site`` made by this postctl has (besides updated, files)."""
    return {
        "schema": str(SCHEMA_VERSION),
        "version": __version__,
        "root": str(site.root),
        "config": config_fingerprint(site),
    }


def stale_reason(connection: sqlite3.Connection, site: Site) -> str | None:
    """Why the stored index cannot be used as is, or None; "" for a new database."""
    tables = {row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "meta" not in tables or "posts" not in tables:
        return "" if not tables else "its tables are incomplete"
    stored = dict(connection.execute("SELECT key, value FROM meta").fetchall())
    expected = expected_meta(site)
    if stored.get("schema") != expected["schema"]:
        return "its format changed"
    if stored.get("version") != expected["version"]:
        return f"postctl {stored.get('version', '?')} made it, this is {__version__}"
    if stored.get("root") != expected["root"]:
        return "it belongs to another site root"
    if stored.get("config") != expected["config"]:
        return "the site's settings changed"
    return None


def reset(connection: sqlite3.Connection, site: Site) -> None:
    """Drop every table (other modules' too) and create the index's tables, empty (inside a
    write transaction)."""
    execute = connection.execute
    objects = execute("SELECT type, name, sql FROM sqlite_master "
                      "WHERE name NOT LIKE 'sqlite_%'").fetchall()
    virtual = [name for kind, name, sql in objects
               if kind == "table" and (sql or "").upper().startswith("CREATE VIRTUAL")]
    for name in virtual:
        execute(f'DROP TABLE IF EXISTS "{name}"')
    remaining = execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
                        " AND type IN ('table', 'view')").fetchall()
    for kind, name in remaining:
        execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            execute(statement)
    meta = {**expected_meta(site), "updated": now_iso(), "files": ""}
    connection.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())


def now_iso() -> str:
    """The time now as ``meta.updated`` stores it: ISO 8601, UTC, whole seconds."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
