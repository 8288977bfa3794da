"""Load benchmark data into Newsboard's database (DATABASE_URL), fast.

    python bench/load_data.py threads 100 1000 5000
        one article per N, slug article-N, with the N comments that the peer
        harness's shape.py makes for N (the same threads, authors, bodies and
        dates that django-comments-xtd gets), plus an empty article for the
        posting run (slug bench-posting) and older empty articles, so that the
        front page has its full 20;
    python bench/load_data.py scale --total 10000
        2,000 articles, one of them article-1000 with shape.py's 1,000
        comments, the others filled with comments until the table holds
        --total; run again with a larger --total to add comments.

Rows go in with bulk_create (PostgreSQL filler comments with COPY) and
explicit primary keys; the counts are then set by comments.moderation.recount
as the site would have kept them. Guests only: shape.py's optional homepage
url has no place in Newsboard and is left out.
"""

import argparse
import random
import sys
import time
from collections import Counter
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from common import setup_django, shape

setup_django()

from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from articles.models import Article, Section  # noqa: E402
from comments import moderation  # noqa: E402
from comments.models import Comment  # noqa: E402
from newsboard.markup import render_article, render_comment  # noqa: E402

PUBLISHED = datetime(2025, 12, 31, 12, 0, tzinfo=UTC)
ARTICLE_BODY = "\n\n".join(
    [
        "A story that carries a reader discussion for the benchmark.",
        " ".join(["The council met on Tuesday and voted on the new tram line."] * 20),
    ]
)
FRONT_PAGE = 20  # NEWSBOARD_ARTICLES_PER_PAGE
SCALE_ARTICLES = 2000
FILLER_TOP_LEVEL = 0.3
FILLER_MAX_DEPTH = 6


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    threads = commands.add_parser("threads")
    threads.add_argument("sizes", nargs="+", type=int)
    scale = commands.add_parser("scale")
    scale.add_argument("--total", type=int, required=True)
    args = parser.parse_args()
    started = time.perf_counter()
    if args.command == "threads":
        load_threads(args.sizes)
    else:
        load_scale(args.total)
    print(f"    loaded in {time.perf_counter() - started:.1f} s", flush=True)


def load_threads(sizes):
    section = Section.objects.create(name="Bench", slug="bench")
    articles = []
    with transaction.atomic():
        next_pk = 1
        for n in sizes:
            article = new_article(f"article-{n}", f"An article with {n:,} comments", section)
            next_pk += load_shape(article, shape().generate(n), first_pk=next_pk)
            articles.append(article)
        new_article("bench-posting", "An article for the posting run", section)
        fillers = FRONT_PAGE - len(sizes) - 1
        Article.objects.bulk_create(
            article_row(f"older-{i}", f"An older story {i}", section, days_before=i + 1)
            for i in range(fillers)
        )
        finish(articles, replied_in=articles)
    for article in articles:
        print(f"    {article.slug}: {article_comments(article):,} comments", flush=True)


def load_scale(total):
    """Grow the database to `total` comments: article-1000 plus filler elsewhere."""
    if not Article.objects.exists():
        with transaction.atomic():
            section = Section.objects.create(name="Bench", slug="bench")
            target = new_article("article-1000", "An article with 1,000 comments", section)
            Article.objects.bulk_create(
                (
                    article_row(f"story-{i}", f"Story {i}", section, days_before=i % 365 + 1)
                    for i in range(SCALE_ARTICLES - 1)
                ),
                batch_size=1000,
            )
            load_shape(target, shape().generate(1000), first_pk=1)
            finish([target], replied_in=[target])
    have = Comment.objects.count()
    if total > have:
        others = list(Article.objects.exclude(slug="article-1000").values_list("pk", flat=True))
        first_pk = Comment.objects.order_by("-pk").values_list("pk", flat=True).first() + 1
        with transaction.atomic():
            insert_filler(others, total - have, first_pk)
            finish(Article.objects.all())
    print(f"    {Comment.objects.count():,} comments on {Article.objects.count():,} articles")


def new_article(slug, headline, section):
    article = article_row(slug, headline, section)
    article.save()
    return article


def article_row(slug, headline, section, days_before=0):
    return Article(
        headline=headline,
        slug=slug,
        body=ARTICLE_BODY,
        body_html=render_article(ARTICLE_BODY),
        section=section,
        status=Article.Status.PUBLISHED,
        published_at=PUBLISHED - timedelta(days=days_before),
        comments_mode=Article.CommentsMode.OPEN,
    )


def load_shape(article, comments, *, first_pk):
    """shape.py's comments as approved guest comments of `article`, pks from first_pk."""
    rows = []
    for c in comments:
        pk = first_pk + c["index"]
        parent = rows[c["parent"]] if c["parent"] is not None else None
        rows.append(
            Comment(
                pk=pk,
                article=article,
                parent_id=parent.pk if parent else None,
                thread_id=parent.thread_id if parent else pk,
                guest_name=c["name"],
                guest_email=c["email"],
                body=c["body"],
                body_html=render_comment(c["body"]),
                status=Comment.Status.APPROVED,
                created_at=c["submitted"],
            )
        )
    Comment.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def insert_filler(article_ids, count, first_pk):
    """`count` approved guest comments spread uniformly over the articles, in threads.

    Each is a new thread (30 %) or a reply to a random earlier comment of the
    same article added here (to its thread's top when that one is 6 deep).
    Bodies, names and their HTML come from a pool of shape.py comments.
    """
    rng = random.Random(count)
    pool = [
        (c["name"], c["email"], c["body"], render_comment(c["body"]))
        for c in shape().generate(2000, seed=7)
    ]
    parent_of, thread_of, depth_of, article_of = [], [], [], []
    nodes = {article_id: [] for article_id in article_ids}
    for index in range(count):
        article_id = rng.choice(article_ids)
        mine = nodes[article_id]
        if not mine or rng.random() < FILLER_TOP_LEVEL:
            parent, thread, depth = None, first_pk + index, 0
        else:
            parent = rng.choice(mine)
            if depth_of[parent - first_pk] >= FILLER_MAX_DEPTH:
                parent = thread_of[parent - first_pk]
            thread, depth = thread_of[parent - first_pk], depth_of[parent - first_pk] + 1
        mine.append(first_pk + index)
        parent_of.append(parent)
        thread_of.append(thread)
        depth_of.append(depth)
        article_of.append(article_id)
    replies = Counter(parent_of)
    moment = datetime(2026, 2, 1, tzinfo=UTC)
    step = timedelta(seconds=7)

    fields = Comment._meta.concrete_fields
    template = {field.attname: field.get_default() for field in fields}
    template.update(status=Comment.Status.APPROVED, held_for="[]")

    def rows():
        for index in range(count):
            pk = first_pk + index
            name, email, body, html = pool[index % len(pool)]
            row = dict(
                template,
                id=pk,
                article_id=article_of[index],
                parent_id=parent_of[index],
                thread_id=thread_of[index],
                guest_name=name,
                guest_email=email,
                body=body,
                body_html=html,
                reply_count=replies.get(pk, 0),
                created_at=moment + step * index,
            )
            yield [row[field.attname] for field in fields]

    if connection.vendor == "postgresql":
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        table = connection.ops.quote_name(Comment._meta.db_table)
        with rebuilt_indexes(Comment._meta.db_table), connection.cursor() as cursor:
            # The rows are consistent by construction: skip the per-row foreign key checks.
            cursor.execute("SET LOCAL session_replication_role = replica")
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    else:
        names = [field.attname for field in fields]
        Comment.objects.bulk_create(
            (Comment(**dict(zip(names, row, strict=True))) for row in rows()), batch_size=2000
        )


@contextmanager
def rebuilt_indexes(table):
    """Drop the table's indexes but its primary key, and create them again afterwards.

    They are re-created from their own definitions (pg_indexes), so the
    table ends up exactly as the migrations made it; building each index once
    is much faster than updating twenty of them row by row during COPY.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        # statistics for the new rows, or the recount that follows plans for an empty table
        cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def finish(articles, replied_in=()):
    """Sequences past the explicit ids, then the counts as the site keeps them.

    Reply counts are recounted for the comments of `replied_in` (insert_filler
    writes its own).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Comment, Article]):
                cursor.execute(statement)
    moderation.recount(
        article_ids=[article.pk for article in articles],
        parent_ids=Comment.objects.filter(
            article__in=list(replied_in), parent__isnull=False
        ).values("parent_id"),
    )


def article_comments(article):
    return Comment.objects.filter(article=article).count()


if __name__ == "__main__":
    sys.exit(main())
