"""Deterministic demo content: sections, articles with lead images, members and discussions."""

import random
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from articles.models import Article, Section
from comments import moderation, rules
from comments.management.demo import corpus, images
from comments.models import Comment, Vote
from comments.votes import wilson_lower_bound
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

    def handle(self, *args, articles, comments, seed, if_empty, dry_run, verbosity, **options):
        if articles < 1 or comments < 0:
            raise CommandError("--articles must be at least 1 and --comments at least 0.")
        if if_empty and Article.objects.exists():
            if verbosity:
                self.stdout.write("The site already has articles; no demo content added.")
            return
        if dry_run:
            if verbosity:
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
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created {len(created_articles)} articles and {comments} comments "
                    f"(seed {seed})."
                )
            )

    def _sections(self):
        sections = {}
        for position, (name, slug) in enumerate(corpus.SECTIONS):
            sections[slug], _created = Section.objects.get_or_create(
                slug=slug, defaults={"name": name, "position": position}
            )
        return sections

    def _members(self, rng, *, count):
        User = get_user_model()
        members = []
        for _index in range(count):
            name = corpus.person_name(rng)
            username = corpus.username_for(name, rng)
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
        painted = {}  # corpus index -> (image name, thumbnail name, width, height)
        created = []
        for index in range(count):
            story_index = index % len(corpus.ARTICLES)
            story = corpus.ARTICLES[story_index]
            edition = index // len(corpus.ARTICLES)
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
            if story_index in painted:
                (
                    article.lead_image,
                    article.lead_image_thumbnail,
                    article.lead_image_width,
                    article.lead_image_height,
                ) = painted[story_index]
            else:
                picture = images.lead_image_jpeg(random.Random(story_index), story["palette"])
                article.lead_image.save(
                    f"{slugify(story['headline'])[:60]}.jpg", ContentFile(picture), save=False
                )
            article.save()
            painted[story_index] = (
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
        written = []  # in the order they were written
        levels = []  # levels[depth]: the comments that deep, in the same order
        for article, share in zip(articles, shares, strict=True):
            for comment, depth in self._thread_rows(rng, article, share, members):
                written.append(comment)
                if depth == len(levels):
                    levels.append([])
                levels[depth].append(comment)
        votes = self._votes(rng, written, members)
        # A level at a time, so that each reply's parent and thread have their ids by
        # then; a top-level comment is its own thread.
        for level in levels:
            Comment.objects.bulk_create(level, batch_size=500)
        if levels:
            Comment.objects.filter(pk__in=[root.pk for root in levels[0]]).update(thread=F("pk"))
        Vote.objects.bulk_create(votes, batch_size=1000)
        moderation.recount(
            article_ids=[article.pk for article in articles],
            parent_ids={reply.parent_id for level in levels[1:] for reply in level},
        )

    def _thread_rows(self, rng, article, count, members):
        """`count` comments for one article, each a reply to an earlier one or a new thread,
        as (comment, depth), unsaved."""
        rows, roots, children, depths, threads = [], [], [], [], []
        moment = article.published_at + timedelta(minutes=rng.randint(3, 30))
        for position in range(count):
            parent = self._pick_parent(rng, roots, children, depths)
            moment += timedelta(seconds=rng.randint(20, 1500))
            member = rng.random() >= GUEST_SHARE
            user = rng.choice(members) if member else None
            name = "" if member else corpus.person_name(rng)
            reply = parent is not None
            level = depths[parent] + 1 if reply else 0
            body = corpus.comment_body(
                rng,
                headline=article.headline,
                depth=level,
                parent_body=rows[parent].body if reply else None,
            )
            comment = Comment(
                article=article,
                parent=rows[parent] if reply else None,
                thread=threads[parent] if reply else None,  # a new thread: set once saved
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
            children.append([])
            depths.append(level)
            threads.append(threads[parent] if reply else comment)
            if reply:
                children[parent].append(position)
            else:
                roots.append(position)
        return zip(rows, depths, strict=True)

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

    def _pick_parent(self, rng, roots, children, depths):
        """A new thread about a third of the time (None); otherwise walk down a recent or
        random thread to the position of the comment to reply to."""
        if not roots or rng.random() < 0.3:
            return None
        node = rng.choice(roots[-10:] if rng.random() < 0.6 else roots)
        while children[node] and depths[node] < MAX_DEPTH - 1 and rng.random() < 0.85:
            node = rng.choice(children[node])
        return node
