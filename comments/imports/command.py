"""What import_disqus, import_wordpress and import_comments share: options, progress, summary."""

from django.core.management.base import BaseCommand, CommandError

from .engine import BadExport, Importer

TRANSACTION_HELP = (
    "The file is checked completely before anything is written, and everything is "
    "written in one transaction: a file that fails anywhere imports nothing. Running "
    "it again imports only what is new."
)


class ImportCommand(BaseCommand):
    """Subclasses set `help` and implement reader(path, options)."""

    keep_ids_option = False

    def add_arguments(self, parser):
        parser.add_argument("path", help="The export file.")
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="Create a draft article (headline from the thread's title) for each thread "
            "that matches no article, instead of skipping its comments.",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Stop with an error, importing nothing, when a reply's parent or a post's "
            "thread is missing from the file or replies form a cycle (by default such "
            "replies become top-level comments and cycles are skipped).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read and check the file and say what would be imported; write nothing.",
        )
        if self.keep_ids_option:
            parser.add_argument(
                "--keep-ids",
                action="store_true",
                help="Give new comments the ids they have in the file, so /comments/<id>/ "
                "addresses keep working after a move to a fresh database. Stops if an id "
                "is taken.",
            )

    def reader(self, path, options):
        raise NotImplementedError

    def handle(self, path, *, create_missing, strict, dry_run, verbosity, **options):
        self.progress_shown = False
        try:
            importer = Importer(
                self.reader(path, options),
                create_missing=create_missing,
                strict=strict,
                keep_ids=options.get("keep_ids", False),
                progress=self.show_progress if self.stdout.isatty() and verbosity else None,
            )
            summary = importer.run(dry_run=dry_run)
        except BadExport as error:
            raise CommandError(f"{error} Nothing was imported.") from error
        finally:
            if self.progress_shown:
                self.stdout.write("")
        if verbosity:
            for line in summary.lines(dry_run=dry_run, verbose=verbosity > 1):
                self.stdout.write(line)
            if dry_run:
                self.stdout.write("Dry run: nothing was written.")
            elif summary.imported:
                self.stdout.write(self.style.SUCCESS(f"Imported {summary.imported} comment(s)."))

    def show_progress(self, phase, done, total):
        """One line, rewritten in place (only on a terminal)."""
        of = f" of {total:,}" if total else ""
        self.stdout.write(f"\r{phase}: {done:,}{of} records", ending="")
        self.stdout.flush()
        self.progress_shown = True
