from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from comments import erasure


class Command(BaseCommand):
    help = (
        "Forget the IP addresses of comments and reports older than the retention period "
        "(NEWSBOARD_IP_RETENTION_DAYS). Production runs it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.NEWSBOARD_IP_RETENTION_DAYS,
            help="Keep addresses this many days (default NEWSBOARD_IP_RETENTION_DAYS, "
            f"now {settings.NEWSBOARD_IP_RETENTION_DAYS}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the addresses, erase nothing."
        )

    def handle(self, *, days, dry_run, verbosity, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        with transaction.atomic():
            erased = erasure.erase_old_ip_addresses(days=days)
            # The same function counts a dry run, so the count is exact; its changes are undone.
            transaction.set_rollback(dry_run)
        if verbosity >= 1:
            verb = "would be erased" if dry_run else "erased"
            self.stdout.write(f"{erased} IP address(es) older than {days} day(s) {verb}.")
