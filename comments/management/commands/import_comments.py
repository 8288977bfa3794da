from comments.imports.command import TRANSACTION_HELP, ImportCommand
from comments.imports.jsonfile import CommentsFileReader


class Command(ImportCommand):
    help = (
        "Import a file written by export_comments (format newsboard-comments, version 1). "
        "Articles are matched by slug; comments by an account go to the account of the same "
        "username here, or become guest comments under the author's name. " + TRANSACTION_HELP
    )
    keep_ids_option = True

    def reader(self, path, options):
        return CommentsFileReader(path)
