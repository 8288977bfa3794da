from comments.imports.command import TRANSACTION_HELP, ImportCommand
from comments.imports.wordpress import WordPressReader


class Command(ImportCommand):
    help = (
        "Import the comments of a WordPress export (WXR). Posts and pages are matched to "
        "articles by their /articles/<slug>/ address, their post name or their address's "
        "last segment; authors become guest authors; pending, spam and trashed comments "
        "become pending, spam and removed; pingbacks and trackbacks are skipped. "
        + TRANSACTION_HELP
    )

    def reader(self, path, options):
        return WordPressReader(path)
