"""The comments app's SQL that Django's ORM cannot write: every raw statement is here.

Each asks the database for something the ORM has no word for: PostgreSQL's
advisory locks and sequences, and SQLite's record of the ids it handed out.
Everything else the app reads and writes goes through the ORM, so a renamed
field fails in one place, on every backend, when the models load. Each
statement has a test in tests/comments/test_database.py.
"""

import hashlib
from array import array

from django.core.management.color import no_style
from django.db import connection

from .models import Comment


def take_posting_lock(article_id, author):
    """Make concurrent posts by one author to one article wait for each other, and return
    the id for the new comment where the database hands it out in the same statement.

    author names the poster ("user:<id>" or "guest:<email>"). The duplicate
    check must see a double-clicked twin that is being posted at the same
    moment, while other readers post on undisturbed. PostgreSQL takes a
    transaction-scoped advisory lock named for the article and the author
    (the ORM has no advisory locks; select_for_update() locks rows, and the
    twin's row does not exist yet), and gives the next id from the comments'
    sequence with it, so a new thread can name itself as its thread in its
    insert rather than in an update after it. SQLite runs one write
    transaction at a time anyway (they begin IMMEDIATE, see settings); there
    the id comes with the insert (None).
    """
    if connection.vendor != "postgresql":
        return None
    digest = hashlib.blake2b(f"post:{article_id}:{author}".encode(), digest_size=8).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s), nextval(pg_get_serial_sequence(%s, 'id'))",
            [int.from_bytes(digest, "big", signed=True), Comment._meta.db_table],
        )
        return cursor.fetchone()[1]


def reserve_comment_ids(count):
    """Take count ids from the comments' sequence on PostgreSQL, so comments posted
    meanwhile get other ids: the importer writes each row once, with ids chosen
    beforehand. A compact array: an import may reserve millions.

    The ORM reads sequences only through inserts.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Comment._meta.db_table, count],
        )
        return array("q", (row[0] for row in cursor))


def highest_comment_id_issued():
    """The highest comment id SQLite has handed out (0 if none), deleted rows included:
    SQLite never hands an AUTOINCREMENT id out twice, so the importer must not either.

    sqlite_sequence is SQLite's own table, not a model.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [Comment._meta.db_table])
        row = cursor.fetchone()
    return row[0] if row else 0


def reset_comment_sequence():
    """Move PostgreSQL's comment id sequence past the highest id in the table, after an
    import kept the file's own ids (Django's sqlsequencereset statements, run here)."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Comment]):
            cursor.execute(statement)
