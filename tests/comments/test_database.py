"""The comments app's raw SQL (comments/database.py), one test per statement, each on the
database it is written for."""

import pytest
from django.db import connection, connections, transaction

from comments import database
from comments.models import Comment

from ..factories import ArticleFactory, post

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's own statement"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own table")


def advisory_locks_seen_by_another_connection():
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
            return cursor.fetchone()[0]
    finally:
        other.close()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_posting_lock_is_held_until_the_transaction_ends():
    article = ArticleFactory()
    with transaction.atomic():
        database.take_posting_lock(article.pk, "guest:reader@example.org")
        assert advisory_locks_seen_by_another_connection() == 1
    assert advisory_locks_seen_by_another_connection() == 0


@on_postgresql
@pytest.mark.django_db
def test_posting_lock_hands_out_the_next_comment_id_for_the_insert():
    article = ArticleFactory()
    earlier = post(article, "Before the lock.")
    with transaction.atomic():
        new_id = database.take_posting_lock(article.pk, "user:1")
    assert new_id > earlier.pk
    assert post(article, "After the lock.").pk > new_id  # the sequence moved on


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL locks")
@pytest.mark.django_db
def test_posting_lock_is_not_needed_where_writes_take_turns():
    with transaction.atomic():
        assert database.take_posting_lock(ArticleFactory().pk, "user:1") is None


@on_postgresql
@pytest.mark.django_db
def test_reserved_ids_are_fresh_and_not_handed_out_again():
    article = ArticleFactory()
    earlier = post(article, "Before the import.")
    reserved = database.reserve_comment_ids(3)
    assert list(reserved) == sorted(set(reserved))
    assert len(reserved) == 3
    assert reserved[0] > earlier.pk
    assert post(article, "After the import.").pk > reserved[-1]


@on_sqlite
@pytest.mark.django_db
def test_highest_id_issued_counts_deleted_comments():
    article = ArticleFactory()
    post(article, "Kept.")
    deleted = post(article, "Deleted.", email="another@example.org")
    Comment.objects.filter(pk=deleted.pk).delete()
    assert database.highest_comment_id_issued() == deleted.pk


@on_postgresql
@pytest.mark.django_db
def test_sequence_reset_moves_past_ids_inserted_by_hand():
    article = ArticleFactory()
    imported = post(article, "Imported with the id it had elsewhere.")
    imported.pk += 1000
    imported.save(force_insert=True)
    database.reset_comment_sequence()
    assert post(article, "Posted after the import.").pk == imported.pk + 1
