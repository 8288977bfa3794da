"""The settings the test suite runs under: development defaults from the
environment (DATABASE_URL picks SQLite or PostgreSQL), plus a fast password
hasher and in-memory e-mail."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from newsboard.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = BASE_DIR / "test-artifacts" / "media"  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# The suite's baseline: post-moderation without the hold on new commenters, so a test
# posts a visible comment unless it is about moderation (those tests set what they need).
NEWSBOARD_NEW_COMMENTER_APPROVALS = 0
