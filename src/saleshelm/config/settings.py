"""Settings: the only module that reads the environment (SPEC §1).

Embedded mode (the default) needs nothing: a SQLite file in the working folder and tasks
run in-process. Production sets SALESHELM_DEBUG off (the default) with a real secret key,
PostgreSQL and a task backend; it then passes ``check --deploy --fail-level WARNING``.
"""

import os
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
WORK_DIR = Path.cwd()


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


DEBUG = _env_bool("SALESHELM_DEBUG", False)
# pytest sets PYTEST_VERSION before anything is imported: the suite needs no extra setup.
TESTING = _env_bool("SALESHELM_TESTING", "PYTEST_VERSION" in os.environ)

_INSECURE_KEY = "saleshelm-insecure-development-key-change-me-0123456789abcdefghij"
SECRET_KEY = os.environ.get("SALESHELM_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SALESHELM_SECRET_KEY is required when SALESHELM_DEBUG is off "
            "(use `make demo` or set SALESHELM_DEBUG=1 for a local trial)"
        )
    SECRET_KEY = _INSECURE_KEY

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("SALESHELM_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
if TESTING:
    ALLOWED_HOSTS += ["testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "saleshelm.core",
    "saleshelm.tenancy",
    "saleshelm.people",
    "saleshelm.crm",
    "saleshelm.imports",
    "saleshelm.performance",
    "saleshelm.direction",
    "saleshelm.incentives",
    "saleshelm.development",
    "saleshelm.api",
    "saleshelm.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "saleshelm.web.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "saleshelm.tenancy.middleware.MembershipMiddleware",
    "saleshelm.web.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]
# Second factor (SPEC §11.8): the name authenticator apps show; no per-device doubling delay,
# since the sign-in throttle already bounds guesses and the doubling would let someone who has
# the password lock the owner out for years.
OTP_TOTP_ISSUER = "SalesHelm"
OTP_TOTP_THROTTLE_FACTOR = 0

ROOT_URLCONF = "saleshelm.config.urls"
WSGI_APPLICATION = "saleshelm.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "saleshelm.web.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = (
    os.environ.get("SALESHELM_DATABASE_URL") or f"sqlite:///{WORK_DIR / 'saleshelm.sqlite3'}"
)
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
except Exception as exc:  # dj-database-url raises several types for a bad URL
    raise ImproperlyConfigured(f"SALESHELM_DATABASE_URL is not a database URL: {exc}") from exc
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Connections persist as on PostgreSQL: a new SQLite connection parses the whole schema
    # and starts with an empty page cache, which cost a page of 100 orders half its time.
    _db["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file (not memory) so that worker subprocesses and the browser tests' live server see
    # the test data; one per process so that concurrent test runs never share it.
    _db["TEST"] = {"NAME": str(WORK_DIR / "var" / f"test-saleshelm-{os.getpid()}.sqlite3")}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (login throttling is shared by every app server) -----------------------------
REDIS_URL = os.environ.get("SALESHELM_REDIS_URL") or "redis://127.0.0.1:6379/0"
_tasks = (os.environ.get("SALESHELM_TASKS") or "immediate").strip().lower()
if _tasks == "redis" or os.environ.get("SALESHELM_REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "saleshelm_cache",
        }
    }

# --- Background tasks (django-tasks) ---------------------------------------------------
TASKS: dict[str, dict[str, object]]
if _tasks == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif _tasks == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif _tasks == "redis":
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
else:
    raise ImproperlyConfigured(
        f"SALESHELM_TASKS must be immediate, database or redis, not {_tasks!r}"
    )
TASKS_BACKEND_NAME = _tasks

# --- Email --------------------------------------------------------------------------------
_email = dj_email_url.parse(os.environ.get("SALESHELM_EMAIL_URL", "console://"))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
DEFAULT_FROM_EMAIL = _email.get("DEFAULT_FROM_EMAIL") or "SalesHelm <saleshelm@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "tenancy.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_THROTTLE_FAILURES = 5
# How many proxies in front of the app append to X-Forwarded-For (1 behind one nginx); login
# throttling then counts the client's address, not the proxy's. 0 trusts no header.
try:
    LOGIN_THROTTLE_TRUSTED_PROXIES = int(os.environ.get("SALESHELM_TRUSTED_PROXIES") or 0)
except ValueError as exc:
    raise ImproperlyConfigured("SALESHELM_TRUSTED_PROXIES must be a whole number") from exc
LOGIN_THROTTLE_WINDOW_SECONDS = 15 * 60
# The sign-up page (/signup/) creates an organisation from the browser. It is open while the
# installation has no organisation (first run) or when SALESHELM_SIGNUP=open; otherwise 404.
SIGNUP_OPEN = (os.environ.get("SALESHELM_SIGNUP") or "").strip().lower() == "open"
# Invitation and "forgot password" links (Django's token) stop working after 3 days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60

# --- Internationalisation ----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("vi", _("Vietnamese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Numbers a person reads are grouped by the templates' filters (money, quantity, intcomma);
# a bare {{ value }} stays plain, so ids, form values and query strings never become "1,537".
USE_THOUSAND_SEPARATOR = False
# Django's Vietnamese formats have separators but no grouping size: ours adds it (1.234.567).
FORMAT_MODULE_PATH = ["saleshelm.config.formats"]

# --- Static files (served by whitenoise; no CDN) -----------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = WORK_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Uploaded files: a large import's file waits here until a worker runs it. With workers on
# other hosts (SALESHELM_TASKS=redis) this must be one folder that every app server and worker
# mounts (NFS...), or the worker cannot open the file an app server stored (docs/deploy.md).
MEDIA_ROOT = Path(os.environ.get("SALESHELM_MEDIA_ROOT") or WORK_DIR / "var" / "media").absolute()

# --- Security -----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = not TESTING
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("SALESHELM_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# --- Logging: structured enough for operations, never business text ------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "saleshelm": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "saleshelm.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
SALESHELM_DEMO_PASSWORD = "saleshelm-demo"
