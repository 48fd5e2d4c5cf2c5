"""Settings for the forum, read from the environment with safe development defaults.

DJANGO_DEBUG, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL are the knobs;
with DEBUG off the site refuses to start without a real secret key, and (forum/wsgi.py)
without collected static files. README.md's "Production" section lists the rest.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            '(for example: export DJANGO_SECRET_KEY="$(openssl rand -hex 32)").'
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.syndication",
    "mptt",
    "csp",
    "threads",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "forum.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "threads.input_guard.InputGuardMiddleware",  # before any view or CSRF reads the body
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "forum.urls"

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
                "threads.context_processors.site",
                "threads.context_processors.moderation",
                "threads.context_processors.community",
            ],
        },
    },
]

WSGI_APPLICATION = "forum.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time: IMMEDIATE makes writers queue for the lock (busy timeout)
    # instead of failing with "database is locked" when a read lock is upgraded.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A forum's rows are read from memory or SSD, where a random page costs about what a
    # sequential one does. At the default of 4.0 the planner sometimes renumbered a big
    # subtree by scanning the whole comment table: a reply took twice as long.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c random_page_cost=1.1".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A read-only streaming replica (DATABASE_REPLICA_URL) takes page reads; writes, reads in a
# transaction and a browser's reads just after its own write stay on the primary
# (threads/db_router.py). Tests see it as a mirror of the test database.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    DATABASES["replica"]["OPTIONS"] = {
        "options": "-c random_page_cost=1.1 -c default_transaction_read_only=on"
    }
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["threads.db_router.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "threads.db_router.ReadYourWritesMiddleware",
    )

# One Redis for everything shared between app processes: the page cache, rate-limit
# counters and login lockouts. REDIS_URL=redis://127.0.0.1:6379/0 turns it on; without it
# each process keeps its own local memory, which is right for one development server only
# (the "shared cache" deploy check says so when DEBUG is off).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "threads.cache_backend.RedisCache",  # Django's, one client per pool
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "forum"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "forum",
        }
    }

# How many proxies in front of the app append to X-Forwarded-For. 0 (the default): the
# client's address is REMOTE_ADDR and the header is ignored, since anyone can send it.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXIES", "0"))

# Rate limits and login protection, in one place (threads/ratelimits.py applies them;
# README "Rate limits and login protection" gives each figure's source). A rate is
# "count/period" (period s, m, h or d, or e.g. 10m); where a list is given every window
# applies. "_new" rates replace their action's for accounts younger than
# RATE_LIMIT_NEW_ACCOUNT_HOURS. Moderators and superusers are exempt from the content
# limits (not from the login ones). DJANGO_RATE_LIMITS overrides single entries
# ("comment=6/m,200/d;signup=3/h"); DJANGO_RATE_LIMITS_ENABLED=0 turns the content
# limits and the heated-exchange rule off (the load test does, tests set their own).
RATE_LIMITS = {
    "signup": ["3/h"],  # per address: Lemmy's register limit (3 per 3600 s)
    "thread": ["2/m", "20/d"],  # per member
    "thread_new": ["1/m", "5/d"],
    "comment": ["6/m", "200/d"],  # per member: Lemmy's comment count (6)
    "comment_new": ["2/m", "50/d"],
    "vote": ["60/m"],  # per member: Lobsters' 60 requests per minute
    "report": ["10/h"],  # per member
    "password_reset_address": ["5/h"],  # reset mails asked for from one address
    "password_reset_account": ["3/h"],  # reset mails asked for one e-mail address
    "email_change": ["5/h"],  # per member: mails confirming a new address
    "search": ["60/m"],  # per address: Lobsters' 60 requests per minute
    "preview": ["60/m"],  # per address: each renders up to a whole comment's Markdown
    "save": ["60/m"],  # per member: saving and unsaving comments and threads
    "block": ["30/m", "200/d"],  # per member: blocking and unblocking
}
for _entry in os.environ.get("DJANGO_RATE_LIMITS", "").split(";"):
    if "=" in _entry:
        _name, _rates = _entry.split("=", 1)
        RATE_LIMITS[_name.strip()] = [r.strip() for r in _rates.split(",") if r.strip()]
RATE_LIMITS_ENABLED = env_flag("DJANGO_RATE_LIMITS_ENABLED", True)
RATE_LIMIT_NEW_ACCOUNT_HOURS = 24
# A member replying within one chain to the same person again sooner than this waits
# (Lobsters' speed limit in heated reply chains: 2 minutes).
HEATED_REPLY_SECONDS = int(os.environ.get("DJANGO_HEATED_REPLY_SECONDS", "120"))
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "threads.client_ip.client_ip"

# Login (django-axes, counting in the cache): LOGIN_FAILURE_LIMIT failed logins from one
# address, for one account or across accounts, refuse that address for a cool-off that
# doubles with each further lockout within a day (up to LOGIN_COOLOFF_MAX_SECONDS).
# Failures for one account from many addresses slow that account down instead: once
# ACCOUNT_SLOWDOWN_AFTER different addresses failed within an hour, it takes one attempt
# per ACCOUNT_SLOWDOWN_SECONDS, except from a browser that logged into it before.
LOGIN_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "4"))  # Lobsters: 4/min
LOGIN_COOLOFF_SECONDS = int(os.environ.get("DJANGO_LOGIN_COOLOFF_SECONDS", "900"))
LOGIN_COOLOFF_MAX_SECONDS = int(os.environ.get("DJANGO_LOGIN_COOLOFF_MAX_SECONDS", "86400"))
ACCOUNT_SLOWDOWN_AFTER = int(os.environ.get("DJANGO_ACCOUNT_SLOWDOWN_AFTER", "5"))
ACCOUNT_SLOWDOWN_SECONDS = int(os.environ.get("DJANGO_ACCOUNT_SLOWDOWN_SECONDS", "10"))
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_LOCKOUT_PARAMETERS = ["ip_address"]  # one account from one address counts here too
AXES_COOLOFF_TIME = "threads.login_protection.cool_off"
AXES_LOCKOUT_CALLABLE = "threads.login_protection.lockout_response"
AXES_CLIENT_IP_CALLABLE = "threads.client_ip.client_ip"
# A success does not wipe the address's count: else one valid account would let an
# attacker reset it between guesses. The count goes a cool-off after the last failure.
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False  # the cache handler keeps no rows for the admin to list
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
INSTALLED_APPS += ["axes"]
MIDDLEWARE += [
    "threads.ratelimits.RateLimitMiddleware",
    "axes.middleware.AxesMiddleware",
    "threads.cache_down.SharedCacheDownMiddleware",
]
if not REDIS_URL:
    # Local memory counts per process: said at start (threads.apps) and by check --deploy.
    SILENCED_SYSTEM_CHECKS = ["axes.W001"]


# Mail (password resets, confirming a new address) through Django's email framework.
# Without EMAIL_HOST mail is printed to the console (development); with it, sent over
# SMTP. DJANGO_EMAIL_BACKEND overrides both. README.md's "Email" section has the table.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = env_flag("EMAIL_USE_SSL", False)  # implicit TLS (port 465); else STARTTLS
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", bool(EMAIL_HOST) and not EMAIL_USE_SSL)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "forum@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "threads:thread-list"
LOGOUT_REDIRECT_URL = "threads:thread-list"

# What this forum is: shown in every page's title and header, and in the feeds.
SITE_NAME = os.environ.get("FORUM_SITE_NAME", "Forum").strip() or "Forum"
SITE_DESCRIPTION = os.environ.get(
    "FORUM_SITE_DESCRIPTION",
    "Threaded discussions: read, reply at any depth, vote, and bring in threads from "
    "Reddit, Lemmy and Hacker News.",
).strip()

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

if not DEBUG:
    # Behind a proxy that ends TLS and sets (never passes on) X-Forwarded-Proto; gunicorn
    # listens on the loopback only, so no client can send the header past the proxy.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_flag("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_flag("DJANGO_SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Security headers on every response, in development too, so that what is tested is
# what runs. The content security policy (django-csp): everything from the site itself,
# nothing inline (no inline script, style or event handler attribute anywhere: the
# templates, the admin and the script only use static files), no plugins, no <base>,
# no framing, forms post only here. DJANGO_CSP_REPORT_ONLY=1 sends it as
# Content-Security-Policy-Report-Only instead (browsers report, nothing is blocked), to
# try a change on a live site; DJANGO_CSP_REPORT_URI names where browsers send reports.
POLICY_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
if os.environ.get("DJANGO_CSP_REPORT_URI", "").strip():
    POLICY_DIRECTIVES["report-uri"] = [os.environ["DJANGO_CSP_REPORT_URI"].strip()]
POLICY_REPORT_ONLY = env_flag("DJANGO_CSP_REPORT_ONLY", False)
if POLICY_REPORT_ONLY:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": POLICY_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": POLICY_DIRECTIVES}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Permissions-Policy: forum.security.DENIED_FEATURES, each denied (forum/security.py).

# The largest request body taken, in bytes: a thread at its longest (10,000 characters of
# up to 4 bytes each, percent-encoded) fits with room; threads.input_guard refuses a
# bigger one (413) from its declared length, before reading it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

# Origins (scheme and host) besides the site's own that may POST forms: needed only when
# the proxy does not pass the browser's Host header on, or the forms live on another host.
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Whole pages for readers who are not logged in (threads.page_cache): kept this many
# seconds at most (0 turns the cache off); vote counts on them may lag by up to
# PAGE_CACHE_VOTE_LAG seconds, every other write shows at once. Sessions live in the
# database (read through the cache when Redis is shared), never in one process's memory
# or on local disk, so any app server can serve any request.
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "300"))
PAGE_CACHE_VOTE_LAG = int(os.environ.get("DJANGO_PAGE_CACHE_VOTE_LAG", "10"))
SESSION_ENGINE = (
    "threads.sessions"  # cached_db that goes on from the database while Redis is down
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
