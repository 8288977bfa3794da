from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Exists, OuterRef

from articles.models import Article
from comments.imports.jsonfile import write_export
from comments.models import Comment


class Command(BaseCommand):
    help = (
        "Write the comments of every article that has any (or of the --article ones), in "
        "every status, to standard output as JSON (format newsboard-comments, version 1; "
        "see the README). The file holds authors' email addresses but no passwords. "
        "import_comments reads it back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--article",
            action="append",
            dest="slugs",
            metavar="SLUG",
            help="Only this article (repeat for several).",
        )

    def handle(self, *, slugs, verbosity, **options):
        articles = Article.objects.order_by("published_at", "pk")
        if slugs:
            articles = articles.filter(slug__in=slugs)
            unknown = set(slugs) - set(articles.values_list("slug", flat=True))
            if unknown:
                raise CommandError(f"No article with the slug {', '.join(sorted(unknown))}.")
        else:
            articles = articles.filter(Exists(Comment.objects.filter(article=OuterRef("pk"))))
        written = write_export(
            lambda text: self.stdout.write(text, ending=""),
            articles.iterator(),
            site_url=settings.NEWSBOARD_SITE_URL,
        )
        if verbosity:
            # Standard output is the file; the count goes to standard error.
            self.stderr.write(f"Exported {written} comment(s).", style_func=self.style.SUCCESS)
