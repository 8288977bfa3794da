"""Where the static files are kept in production."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed static files under hashed names, with the imports between
    our ES modules (static/js/newsboard/) rewritten to the hashed names as well.

    Without the rewrite, main.<hash>.js would import ./votes.js, the unhashed copy:
    served without the far-future cache headers, possibly from the previous deploy
    for a minute, and missing altogether with WHITENOISE_KEEP_ONLY_HASHED_FILES.
    """

    support_js_module_import_aggregation = True
