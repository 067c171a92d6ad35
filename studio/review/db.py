"""Engine and sessions for the review queue: SQLite (WAL) by default, PostgreSQL via DATABASE_URL."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")


class DatabaseUnavailable(RuntimeError):
    """The database cannot be opened or migrated; the message is one line, the URL's password masked."""


def mask_url(url: str) -> str:
    """The URL for messages and logs: password (and password-like query parameters) replaced by ***."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return "(unparseable database URL)"
    secret = {k: "***" for k in parsed.query if k.lower() in ("password", "passwd", "pwd", "sslpassword", "token")}
    if secret:
        parsed = parsed.update_query_dict(secret)
    return parsed.render_as_string(hide_password=True)


def _password(url: str) -> str | None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).password or None
    except ArgumentError:
        return None


def _first_line(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    text = str(cause).strip().splitlines()
    return text[0] if text else type(cause).__name__


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # pysqlite's own implicit BEGIN is switched off; _begin_immediate issues the BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, pool_size=20, max_overflow=20)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin_immediate)
        return engine
    return create_engine(url, pool_size=20, max_overflow=20, pool_pre_ping=True)


def _begin_immediate(conn) -> None:
    """Take SQLite's write lock at BEGIN: read-then-write transactions then queue instead of deadlocking."""
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to an Alembic revision (the newest by default)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()


_engines: dict[str, Engine] = {}
# One lock for creating engines: Alembic's `context` is module-global, so two threads migrating at once (a page
# whose handlers all fire on load) clash, and SQLite would report "database is locked".
_engines_lock = threading.Lock()


def get_engine(url: str) -> Engine:
    """The engine for `url`, migrated to the newest schema on first use in this process."""
    from sqlalchemy.exc import SQLAlchemyError

    with _engines_lock:
        if url not in _engines:
            try:
                engine = make_engine(url)
                migrate(engine)
            except (SQLAlchemyError, OSError) as exc:
                # Unreachable server, wrong credentials, unwritable folder: one line, not a 490-line
                # traceback, and never the password (the driver's own message does not carry it).
                message = _first_line(exc).replace(url, mask_url(url))
                password = _password(url)
                if password:
                    message = message.replace(password, "***")
                raise DatabaseUnavailable(f"cannot open the database {mask_url(url)}: {message}") from None
            _engines[url] = engine
        return _engines[url]


_factories: dict[int, sessionmaker] = {}


def _factory(url: str) -> sessionmaker:
    # One sessionmaker per engine: building one at every transaction cost ~0.05 ms of CPU (its event set-up).
    engine = get_engine(url)
    factory = _factories.get(id(engine))
    if factory is None or factory.kw["bind"] is not engine:
        factory = _factories[id(engine)] = sessionmaker(bind=engine, expire_on_commit=False)
    return factory


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A transaction: commits when the block ends, rolls back on error."""
    session = _factory(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
