"""Deterministic demo content: sections, articles with lead images, members and discussions."""

import random
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils.text import slugify

from articles.models import Article, Section
from comments import moderation, rules
from comments.models import Comment, Vote
from comments.votes import wilson_lower_bound
from newsboard import demo_corpus
from newsboard.markup import render_comment

# Fixed, so that the same seed gives the same data on every run.
ANCHOR = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
MAX_DEPTH = 7  # top-level is depth 0: threads of 1 to 8 levels
REMOVED_SHARE = 0.02
PENDING_SHARE = 0.03  # held for moderation, so the admin queue has work in it
GUEST_SHARE = 0.6
UPVOTE_SHARE = 0.75


class Command(BaseCommand):
    help = (
        "Create realistic demo content: articles in sections, members, and threaded "
        "discussions. The same --seed always makes the same content."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles", type=int, default=12, help="Articles to create (default 12)."
        )
        parser.add_argument(
            "--comments",
            type=int,
            default=400,
            help="Comments in all, spread over the articles (default 400).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the site already has articles."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be created, create nothing."
        )

    def handle(self, *args, articles, comments, seed, if_empty, dry_run, **options):
        if articles < 1 or comments < 0:
            raise CommandError("--articles must be at least 1 and --comments at least 0.")
        if if_empty and Article.objects.exists():
            self.stdout.write("The site already has articles; no demo content added.")
            return
        if dry_run:
            self.stdout.write(
                f"Would create {articles} articles and {comments} comments (seed {seed})."
            )
            return
        rng = random.Random(seed)
        with transaction.atomic():
            sections = self._sections()
            members = self._members(rng, count=max(5, min(300, comments // 15)))
            created_articles = self._articles(rng, articles, sections, seed)
            self._discussions(rng, created_articles, comments, members)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {len(created_articles)} articles and {comments} comments (seed {seed})."
            )
        )

    def _sections(self):
        sections = {}
        for position, (name, slug) in enumerate(demo_corpus.SECTIONS):
            sections[slug], _created = Section.objects.get_or_create(
                slug=slug, defaults={"name": name, "position": position}
            )
        return sections

    def _members(self, rng, *, count):
        User = get_user_model()
        members = []
        for _index in range(count):
            name = demo_corpus.person_name(rng)
            username = demo_corpus.username_for(name, rng)
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"display_name": name, "email": f"{username}@example.org"},
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            members.append(user)
        return members

    def _articles(self, rng, count, sections, seed):
        taken = set(Article.objects.values_list("slug", flat=True))
        images = {}  # corpus index -> (image name, thumbnail name, width, height)
        created = []
        for index in range(count):
            story_index = index % len(demo_corpus.ARTICLES)
            story = demo_corpus.ARTICLES[story_index]
            edition = index // len(demo_corpus.ARTICLES)
            headline = (
                story["headline"] if edition == 0 else f"{story['headline']} (update {edition})"
            )
            slug = slugify(headline)[:190]
            if slug in taken:
                slug = f"{slug[:180]}-s{seed}-{index}"
            taken.add(slug)
            article = Article(
                headline=headline,
                slug=slug,
                standfirst=story["standfirst"],
                dateline=story["dateline"],
                byline=story["byline"],
                section=sections[story["section"]],
                body=story["body"],
                lead_image_caption=story["caption"],
                lead_image_credit=story["credit"],
                status=Article.Status.PUBLISHED,
                published_at=ANCHOR - timedelta(hours=7 * index + rng.randint(0, 5)),
                comments_mode=Article.CommentsMode.OPEN,
            )
            if story_index in images:
                (
                    article.lead_image,
                    article.lead_image_thumbnail,
                    article.lead_image_width,
                    article.lead_image_height,
                ) = images[story_index]
            else:
                picture = demo_corpus.lead_image_jpeg(random.Random(story_index), story["palette"])
                article.lead_image.save(
                    f"{slugify(story['headline'])[:60]}.jpg", ContentFile(picture), save=False
                )
            article.save()
            images[story_index] = (
                article.lead_image.name,
                article.lead_image_thumbnail.name,
                article.lead_image_width,
                article.lead_image_height,
            )
            created.append(article)
        if count > 3:
            created[-1].comments_mode = Article.CommentsMode.CLOSED
            created[-1].save(update_fields=["comments_mode"])
        return created

    def _discussions(self, rng, articles, total, members):
        """Spread `total` comments over the articles, hot stories getting more, in threads."""
        weights = [rng.paretovariate(1.2) for _article in articles]
        shares = [int(total * weight / sum(weights)) for weight in weights]
        shares[0] += total - sum(shares)
        next_pk = (Comment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        rows = []
        for article, share in zip(articles, shares, strict=True):
            article_rows = self._thread_rows(rng, article, share, members, first_pk=next_pk)
            next_pk += len(article_rows)
            rows.extend(article_rows)
        votes = self._votes(rng, rows, members)
        Comment.objects.bulk_create(rows, batch_size=500)
        Vote.objects.bulk_create(votes, batch_size=1000)
        if connection.vendor == "postgresql":
            # the ids were given explicitly, so move the sequence past them
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), [Comment]):
                    cursor.execute(statement)
        moderation.recount(
            article_ids=[article.pk for article in articles],
            parent_ids={row.parent_id for row in rows if row.parent_id},
        )

    def _thread_rows(self, rng, article, count, members, *, first_pk):
        """`count` comments for one article, each a reply to an earlier one or a new thread."""
        rows, roots, children, depth = [], [], {}, {}
        moment = article.published_at + timedelta(minutes=rng.randint(3, 30))
        for offset in range(count):
            pk = first_pk + offset
            parent = self._pick_parent(rng, roots, children, depth)
            moment += timedelta(seconds=rng.randint(20, 1500))
            member = rng.random() >= GUEST_SHARE
            user = rng.choice(members) if member else None
            name = "" if member else demo_corpus.person_name(rng)
            level = depth[parent.pk] + 1 if parent else 0
            body = demo_corpus.comment_body(
                rng,
                headline=article.headline,
                depth=level,
                parent_body=parent.body if parent else None,
            )
            comment = Comment(
                pk=pk,
                article=article,
                parent_id=parent.pk if parent else None,
                thread_id=parent.thread_id if parent else pk,
                user=user,
                guest_name=name,
                guest_email=f"{slugify(name) or 'guest'}@example.net" if name else "",
                body=body,
                body_html=render_comment(body),
                status=self._status(rng),
                created_at=moment,
            )
            if comment.status == Comment.Status.PENDING:
                comment.held_for = [rules.hold("new_commenter", "0 of 2 comments approved")]
            rows.append(comment)
            children[pk] = []
            depth[pk] = level
            if parent:
                children[parent.pk].append(comment)
            else:
                roots.append(comment)
        return rows

    def _status(self, rng):
        draw = rng.random()
        if draw < REMOVED_SHARE:
            return Comment.Status.REMOVED
        if draw < REMOVED_SHARE + PENDING_SHARE:
            return Comment.Status.PENDING
        return Comment.Status.APPROVED

    def _votes(self, rng, comments, members):
        """Members' votes on approved comments: most get a few, some many; counts to match."""
        votes = []
        for comment in comments:
            if comment.status != Comment.Status.APPROVED:
                continue
            voters = [member for member in members if member.pk != comment.user_id]
            count = min(len(voters), int(rng.paretovariate(1.3)) - 1)
            for voter in rng.sample(voters, count):
                value = 1 if rng.random() < UPVOTE_SHARE else -1
                votes.append(Vote(comment=comment, user=voter, value=value))
                if value == 1:
                    comment.upvotes += 1
                else:
                    comment.downvotes += 1
            comment.score = wilson_lower_bound(comment.upvotes, comment.downvotes)
        return votes

    def _pick_parent(self, rng, roots, children, depth):
        """A new thread about a third of the time; otherwise walk down a recent or random thread."""
        if not roots or rng.random() < 0.3:
            return None
        node = rng.choice(roots[-10:] if rng.random() < 0.6 else roots)
        while children[node.pk] and depth[node.pk] < MAX_DEPTH - 1 and rng.random() < 0.85:
            node = rng.choice(children[node.pk])
        return node
