"""Newsboard settings, read from the environment.

Every setting an operator may change is an environment variable (see the
README). With DEBUG off the secure choices are the defaults; each can be
relaxed by its own variable for set-ups behind plain HTTP.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    """A boolean from the environment: 1/true/yes/on or 0/false/no/off."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_networks(name):
    """IP networks from a comma-separated list of addresses and CIDR networks, normalized."""
    networks = []
    for item in env_list(name, []):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks (e.g. 10.0.0.1,10.1.0.0/16), "
                f"not {item!r}."
            ) from None
    return networks


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "development-only-key-never-use-in-production-" + "x" * 20

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "newsboard.accounts",
    "articles",
    "comments",
    "django.contrib.admin",
    "django.contrib.auth",
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_tasks_db",
    "crispy_forms",
    "crispy_bootstrap5",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsboard.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsboard.urls"
WSGI_APPLICATION = "newsboard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.navigation",
            ],
        },
    },
    # The comment card and the thread (comments/jinja2/): a page may repeat the card
    # thousands of times, too many for Django's template language. Jinja2 renders just
    # these; every other template is a Django template.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "newsboard.jinja2.environment"},
    },
]

# Database: SQLite in the project folder unless DATABASE_URL says otherwise.
# Persistent connections with health checks, so a database restart costs one
# failed request per worker, not a restart of the application.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so two requests
    # posting at once queue up instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
else:
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options.setdefault("connect_timeout", 5)
    # No JIT compilation (unless DATABASE_URL's ?options= says otherwise): the planner
    # overestimates the rows of a recursive thread query, so a large discussion's read
    # crossed JIT's cost thresholds and spent 470 ms compiling a 50 ms query.
    options.setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The accounts app (newsboard.accounts) keeps the app label "newsboard": see its AppConfig.
AUTH_USER_MODEL = "newsboard.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "articles:list"
LOGOUT_REDIRECT_URL = "articles:list"

# Sign-in throttling (django-axes): its backend comes first and refuses a sign-in while
# the username is locked out from that IP address; ModelBackend then checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("NEWSBOARD_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("NEWSBOARD_LOGIN_COOLOFF_MINUTES", 15))
# Per username and address together: a reader's typos do not lock out everyone behind the
# same address, and nobody can lock a reader out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Failed attempts are kept only for the cool-off period; successful sign-ins are not logged,
# so no table of readers' IP addresses grows beside the comments.
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "newsboard.accounts.views.locked_out"
# Lockouts count per reader, not per proxy: the address comes from X-Forwarded-For when the
# request is from a trusted proxy (NEWSBOARD_TRUSTED_PROXIES below).
AXES_CLIENT_IP_CALLABLE = "newsboard.http.client_ip"

# Argon2 for new and upgraded hashes; the others still verify older hashes (and are
# rehashed to Argon2 at the next sign-in).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Database sessions that report an outage as one (see newsboard/sessions.py).
SESSION_ENGINE = "newsboard.sessions"

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

# Background tasks (e-mails to moderators and authors). Development runs them at once in
# the request; production stores them in the database for `manage.py db_worker`.
TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
_tasks = os.environ.get("NEWSBOARD_TASKS", "immediate" if DEBUG else "database")
if _tasks not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"NEWSBOARD_TASKS must be one of {', '.join(TASK_BACKENDS)}.")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[_tasks]}}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "newsboard.storage.HashedStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Messages for the next page travel in a cookie of their own, so that leaving one costs no
# database session; the session takes only what does not fit in it.
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"

# E-mail: printed to the console in development; SMTP from the environment otherwise.
if DEBUG and not os.environ.get("EMAIL_HOST"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": 10,
            },
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "newsboard@localhost")

# Security: secure by default with DEBUG off; each relaxable for plain HTTP.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The reverse proxies in front of the site. A request from one of them is attributed to the
# address it forwards in X-Forwarded-For (newsboard.http.client_ip); nobody else may set it.
NEWSBOARD_TRUSTED_PROXIES = env_networks("DJANGO_TRUSTED_PROXIES")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (Django's own): our scripts and styles from this site only, no
# inline code. data: images are for Bootstrap's form controls, drawn as SVG in its CSS.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Uploaded article images are served by Django itself unless the operator
# puts a web server in front of MEDIA_ROOT and turns this off.
SERVE_MEDIA = env_bool("NEWSBOARD_SERVE_MEDIA", True)
# Uploaded article images larger than this, or of more pixels (a decompression
# bomb is a small file of gigapixels), are refused. Pillow itself refuses images
# above twice its own limit of 89 megapixels, whatever this says.
NEWSBOARD_MAX_IMAGE_BYTES = env_int("NEWSBOARD_MAX_IMAGE_BYTES", 10 * 1024 * 1024)
NEWSBOARD_MAX_IMAGE_PIXELS = env_int("NEWSBOARD_MAX_IMAGE_PIXELS", 50_000_000)

# Discussion display.
# The site's address, for links in e-mails.
NEWSBOARD_SITE_URL = os.environ.get("NEWSBOARD_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
NEWSBOARD_ARTICLES_PER_PAGE = 20
NEWSBOARD_THREADS_PER_PAGE = env_int("NEWSBOARD_THREADS_PER_PAGE", 50)
NEWSBOARD_DISPLAY_DEPTH = env_int("NEWSBOARD_DISPLAY_DEPTH", 6)
# A thread shows this many comments on the article page; the rest are on its own page.
NEWSBOARD_COMMENTS_PER_THREAD = env_int("NEWSBOARD_COMMENTS_PER_THREAD", 100)
# best (Wilson score of the votes), newest, oldest or replies
NEWSBOARD_DEFAULT_SORT = os.environ.get("NEWSBOARD_DEFAULT_SORT", "best")
NEWSBOARD_COMMENT_MAX_LENGTH = 5000
NEWSBOARD_DUPLICATE_WINDOW_SECONDS = 600
NEWSBOARD_ALLOW_GUESTS = env_bool("NEWSBOARD_ALLOW_GUESTS", True)  # else members only
NEWSBOARD_EDIT_WINDOW_MINUTES = env_int("NEWSBOARD_EDIT_WINDOW_MINUTES", 15)
NEWSBOARD_IP_RETENTION_DAYS = env_int("NEWSBOARD_IP_RETENTION_DAYS", 30)
# The cookie in which a guest's browser keeps the name and email they gave and the
# comments they posted (comments.viewers).
NEWSBOARD_GUEST_COOKIE_NAME = "guest"
# Cookies that make a page the reader's own, besides Django's session and messages
# cookies: a reader with one never gets the article page kept for everyone, nor
# validators for it (newsboard.pagecache).
NEWSBOARD_PERSONAL_COOKIES = [NEWSBOARD_GUEST_COOKIE_NAME]
# What the search page searches, each an articles.search.Scope, by dotted
# path: ?in=<its name> picks one, the first is searched by default.
NEWSBOARD_SEARCH_SCOPES = ["articles.search.ARTICLES", "comments.search.COMMENTS"]

# Accounts. A confirmation link works this many days; a new one can be asked for
# once per NEWSBOARD_EMAIL_CONFIRMATION_RESEND_MINUTES.
NEWSBOARD_EMAIL_CONFIRMATION_DAYS = env_int("NEWSBOARD_EMAIL_CONFIRMATION_DAYS", 3)
NEWSBOARD_EMAIL_CONFIRMATION_RESEND_MINUTES = 5
NEWSBOARD_PROFILE_COMMENTS_PER_PAGE = 20
# Reply e-mails wait this long to gather several replies into one message.
NEWSBOARD_NOTIFICATION_BATCH_SECONDS = env_int("NEWSBOARD_NOTIFICATION_BATCH_SECONDS", 300)

# Moderation. Articles may override the mode and the auto-close delay.
NEWSBOARD_MODERATION = os.environ.get("NEWSBOARD_MODERATION", "post")  # "post" or "pre"
NEWSBOARD_CLOSE_COMMENTS_AFTER_DAYS = env_int("NEWSBOARD_CLOSE_COMMENTS_AFTER_DAYS", 0)  # 0: never
NEWSBOARD_MAX_LINKS = env_int("NEWSBOARD_MAX_LINKS", 3)  # more links than this: held
NEWSBOARD_NEW_COMMENTER_APPROVALS = env_int("NEWSBOARD_NEW_COMMENTER_APPROVALS", 2)
# Held again when, of an author's last REJECTION_SAMPLE decided comments (at least
# REJECTION_MINIMUM), more than REJECTION_RATE were removed or spam.
NEWSBOARD_REJECTION_SAMPLE = 10
NEWSBOARD_REJECTION_MINIMUM = 4
NEWSBOARD_REJECTION_RATE = 0.5
NEWSBOARD_REPEAT_WINDOW_SECONDS = 3600  # the same text on another article: spam
NEWSBOARD_REPORT_THRESHOLD = env_int("NEWSBOARD_REPORT_THRESHOLD", 3)
# Comments allowed per window, as (comments, seconds), per IP address and per author.
NEWSBOARD_RATE_LIMITS = {
    "ip": (env_int("NEWSBOARD_RATE_LIMIT_IP", 10), 600),
    "author": (env_int("NEWSBOARD_RATE_LIMIT_AUTHOR", 5), 300),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
