from comments.imports.command import TRANSACTION_HELP, ImportCommand
from comments.imports.disqus import DisqusReader


class Command(ImportCommand):
    help = (
        "Import the comments of a Disqus XML export. Threads are matched to articles by "
        "their /articles/<slug>/ address, their Disqus identifier or their address's last "
        "segment; authors become guest authors; deleted and spam posts keep that status. "
        + TRANSACTION_HELP
    )

    def reader(self, path, options):
        return DisqusReader(path)
