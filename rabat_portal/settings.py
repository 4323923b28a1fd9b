"""Settings of the Rabat Process portal: one module, every deploy-time value from the environment.

Without any environment a fresh checkout runs the embedded set-up (SQLite, Celery eager, e-mail to
the console) once ``DEBUG`` is on; ``make run`` turns it on. With ``DEBUG`` off the production
defaults apply, and a missing ``SECRET_KEY`` stops start-up with a message that says so.
The README lists every variable read here.
"""

import datetime
import ipaddress
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file beside manage.py is read when present (docker-compose and local overrides);
# variables already set in the process win over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "value (python -c 'import secrets; print(secrets.token_urlsafe(50))'), or set "
            "DEBUG=true for local development."
        )
    SECRET_KEY = "django-insecure-development-only-key-for-the-rabat-process-portal"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The right-hand side of calendar event UIDs: stable, whatever address the portal moves to.
ICAL_UID_DOMAIN = env.str("ICAL_UID_DOMAIN", default="rabat-process.org")
# Where people write to the Secretariat, e.g. to ask for an account (the login page links to
# it). No default: the address is the Secretariat's to give; unset, the pages name the
# Secretariat without a link.
SECRETARIAT_CONTACT_EMAIL = env.str("SECRETARIAT_CONTACT_EMAIL", default="")

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it must come before it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Its widget templates, for FORM_RENDERER below.
    "django.forms",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # The portal's apps, bottom layer first (see DESIGN.md).
    "portal_lib",
    "focalpoints",
    "actionplan",
    "meetings",
    "consultations",
    "labelling",
    "ideas_lab",
    "digests",
    "stocktaking",
    "api",
    "rabat_portal",
]

MIDDLEWARE = [
    # First, so that every response and every log line of a request carries its id.
    "rabat_portal.log_context.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The open-data API answers any site's GET (CORS_URLS_REGEX below); before CommonMiddleware.
    "corsheaders.middleware.CorsMiddleware",
    # ETags on pages, so a visitor on a slow connection downloads an unchanged page only once.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Moves a session's expiry on as it is used (the idle timeout), writing it once a minute.
    "rabat_portal.middleware.SessionActivityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is known (a kept page is per language), before the session, the CSRF
    # token, the account and messages are read: a kept page costs one cache read.
    "portal_lib.page_cache.AnonymousPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which reads the body that an oversized upload must not send.
    "rabat_portal.middleware.UploadSizeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, keeping the signed-in account per session and content version.
    "rabat_portal.middleware.AuthenticationMiddleware",
    "rabat_portal.middleware.SignedInNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Before any view reads the query string; after the language and the account are known,
    # which the 400 page shows.
    "rabat_portal.middleware.QueryStringGuardMiddleware",
    "rabat_portal.middleware.StaffTwoFactorMiddleware",
    # Records who made each change kept in the history (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
# The history is a record to read: reverting from it would bypass the rules of each record
# (a labelling request's state moves only through its workflow).
SIMPLE_HISTORY_REVERT_DISABLED = True

ROOT_URLCONF = "rabat_portal.urls"
WSGI_APPLICATION = "rabat_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # The date filter formats through portal_lib.dates ("1er" in French).
            "builtins": ["portal_lib.templatetags.dates"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "focalpoints.context_processors.access",
                "rabat_portal.context_processors.private_area",
            ],
        },
    },
]
# Widgets render through TEMPLATES, so that templates/ can override a widget's template (the
# admin's date and time pair, to label its two boxes).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: SQLite beside manage.py unless DATABASE_URL names another (postgres://…).
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Connections kept between requests: under load, opening one per request (TLS and
# authentication on PostgreSQL) cost more than many pages. Checked before reuse, so a
# connection the database dropped is replaced rather than failing a request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis is optional: absent, Celery runs tasks in-process and the cache is per process.
REDIS_URL = env.str("REDIS_URL", default="")
# Each process's own cache, for fragments made from the code and the address alone (no record):
# the pages' header. Nothing there goes out of date but with a release, which restarts the
# processes, and a read costs no round trip to Redis.
LOCAL_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal_lib.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "rabat_portal",
        },
        "local": LOCAL_CACHE,
    }
    # Sessions read from the shared cache, written through to the database: a signed-in
    # request no longer queries for its session. Only with a shared cache: one per process
    # would let another process accept a session already ended (a logout) until it expired.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Room for the anonymous pages kept (portal_lib.page_cache) beside the rest.
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
        "local": LOCAL_CACHE,
    }

# Anonymous pages are kept this long at most (seconds; 0: not at all). A change to what public
# pages show makes them out of date at once (portal_lib.page_cache), whatever this says. With
# several processes the cache must be shared (REDIS_URL), or a process could keep an old page.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# The apps whose records public pages show: any save or delete of any of their models (present
# or future) makes kept pages out of date. A model of another app opts in with one line in its
# app's ready(): ``page_cache.track(TheModel)``.
PAGE_CACHE_APPS = ["focalpoints", "actionplan", "meetings", "labelling"]
# Not kept: the API, whose answers vary with Accept-Language and ?lang rather than the page's
# language, and which must count every request against its rate limit (it has its own ETags).
PAGE_CACHE_EXCLUDED_PREFIXES = ("/api/",)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged only once it has run, so a worker that dies mid-task loses nothing:
# the broker hands it to another worker after the visibility timeout. Tasks must be idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Not a setting of Celery's own: a lower-case name, which neither Django nor Celery reads.
visibility_timeout = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": visibility_timeout,
    # Kombu looks for tasks past that timeout every interval × throttle seconds (100 by
    # default): a task is handed again within about twice the timeout, however short it is set.
    "unacked_restore_interval": min(10, visibility_timeout),
    "unacked_restore_throttle": max(1, min(10, visibility_timeout // 10)),
}
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_RESULT_EXPIRES = 60 * 60 * 24
# A report rendering older than this was left by a dead worker (its time limit is shorter):
# the task, handed again by the broker after the visibility timeout, takes it over.
REPORT_CLAIM_TIMEOUT = datetime.timedelta(
    seconds=env.int("REPORT_CLAIM_TIMEOUT_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60)
)

# E-mail: printed to the console unless EMAIL_URL names a server (smtp://user:pass@host:587).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Rabat Process <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Laboratory of ideas: replies to notifications go to ideas+<signed token>@REPLY_DOMAIN, whose
# mail is handed to `manage.py receive_idea_reply` or POSTed to /ideas/inbound-email/ with the
# shared secret. An empty secret turns the HTTP endpoint off. A reply address is a credential
# that anyone holding the notification could use: it works for a month, enough to answer.
REPLY_DOMAIN = env.str("REPLY_DOMAIN", default="reply.localhost")
REPLY_TOKEN_MAX_AGE_DAYS = env.int("REPLY_TOKEN_MAX_AGE_DAYS", default=30)
INBOUND_EMAIL_SECRET = env.str("INBOUND_EMAIL_SECRET", default="")

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: every page exists under /en/ and /fr/; content the Secretariat writes is translated
# per field, and French falls back to English where no translation was entered.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
FORMAT_MODULE_PATH = ["rabat_portal.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Document files live outside any public URL; views decide who may download them.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
# Behind nginx, set to the internal location that maps to PRIVATE_MEDIA_ROOT (e.g. /protected/):
# Django checks the permission and nginx sends the file.
PRIVATE_FILES_ACCEL_REDIRECT = env.str("PRIVATE_FILES_ACCEL_REDIRECT", default="")
DOCUMENT_MAX_UPLOAD_SIZE = env.int("DOCUMENT_MAX_UPLOAD_SIZE", default=25 * 1024 * 1024)
# Each uploaded file stops reaching memory or disk past DOCUMENT_MAX_UPLOAD_SIZE.
FILE_UPLOAD_HANDLERS = [
    "portal_lib.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Hashed, compressed file names need collectstatic first; production images run it when built.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "documents": {"BACKEND": "portal_lib.storage.PrivateFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}


def s3_storage(location):
    """A ``STORAGES`` entry keeping files under ``location/`` in the S3-style bucket the
    environment names (django-storages). The bucket stays private: files are reached only
    through the portal's views, which check who may have them, or by short-lived signed URLs."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "location": location,
            # Empty: AWS itself, and the machine's role or the usual AWS variables for the keys.
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
            "querystring_auth": True,
            "querystring_expire": 300,
            # Names are random already; never replace a file that happens to share one.
            "file_overwrite": False,
        },
    }


# Uploaded files: local folders, or, for web and worker containers on several machines, one
# S3-style bucket that all of them reach (FILE_STORAGE=s3 and the S3_* variables).
FILE_STORAGE = env.str("FILE_STORAGE", default="filesystem")
if FILE_STORAGE == "s3":
    STORAGES["default"] = s3_storage("media")
    STORAGES["documents"] = s3_storage("private")
elif FILE_STORAGE != "filesystem":
    raise ImproperlyConfigured("FILE_STORAGE must be 'filesystem' or 's3'.")

# Behind a reverse proxy that terminates TLS. The production defaults follow DEBUG.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies whose X-Forwarded-For names the client (addresses or networks, comma-separated).
# Without them every request seems to come from the proxy, and allauth's limit on failed logins,
# counted per address, would lock everybody out at once; from any other peer the header is
# ignored, since anyone can write it (focalpoints/client_ip.py).
TRUSTED_PROXIES = [p.strip() for p in env.list("TRUSTED_PROXIES", default=[]) if p.strip()]
for proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(proxy, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {proxy!r} is not an IP address or network (e.g. 10.0.0.2 or "
            "172.16.0.0/12)."
        ) from error
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preloading binds every subdomain of the Secretariat's domain to HTTPS for good: the owner of
# the domain decides it (HSTS_PRELOAD=true); until then the check that asks for it is silenced.
SECURE_HSTS_PRELOAD = env.bool("HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): every script and style is a static file of the portal's
# own, so neither inline code nor eval is allowed, and nothing is loaded from another site. The
# report preview's charts are data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The portal uses none of the browser's powerful features: deny them all to every frame.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Each line names its request, without personal data (rabat_portal/log_context.py).
    "filters": {"request_context": {"()": "rabat_portal.log_context.RequestContextFilter"}},
    "formatters": {
        "plain": {
            "()": "rabat_portal.log_context.PersonalDataFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_context)s] %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

AUTH_USER_MODEL = "focalpoints.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
# A partner's page is composed by rabat_portal from every app's records: focalpoints, the
# bottom app, does not name it.
ABSOLUTE_URL_OVERRIDES = {
    "focalpoints.partner": lambda partner: reverse("partner-detail", args=[partner.slug]),
}

# Accounts (django-allauth): log in by e-mail, no open sign-up (the Secretariat invites people),
# allauth's rate limits on login and password reset, two-factor authentication for everyone who
# wants it and for every staff member before they use the admin.
ACCOUNT_ADAPTER = "focalpoints.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
# The authenticator's secret stays the same across reloads while it is being set up.
MFA_FORMS = {"activate_totp": "focalpoints.forms.SteadyActivateTOTPForm"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Rabat Process"
# The private area holds restricted documents: a session ends after two hours without activity.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=2 * 60 * 60)
# Activity moves the expiry on through SessionActivityMiddleware, which writes the session at
# most once in this many seconds rather than on every request.
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=60)
SESSION_SAVE_EVERY_REQUEST = False
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)
CONSULTATION_REMINDER_INTERVAL_DAYS = env.int("CONSULTATION_REMINDER_INTERVAL_DAYS", default=7)

# Operations (health checks, backups, the docker-compose stack; see the README).
# The load balancer and the container's HEALTHCHECK ask for /health/ over plain HTTP inside the
# private network: an HTTPS redirect would read as a failure.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
# E-mail digests (digests/services.py). Celery beat ticks every hour; the tick reads the
# day and hour the Secretariat set in the admin (DigestSchedule) and starts the runs that are due.
# A schedule of Celery's own, in settings, needs no database-backed scheduler (no extra package,
# no extra tables); the hourly tick is what lets the Secretariat move the run without a restart.
CELERY_BEAT_SCHEDULE = {
    "digests-tick": {"task": "digests.tasks.digest_tick", "schedule": crontab(minute=0)},
    "consultations-announce": {
        "task": "consultations.tasks.announce_open_consultations",
        "schedule": crontab(minute=30, hour=6),
    },
    "notifications-sweep": {
        "task": "portal_lib.tasks.send_pending_deliveries",
        "schedule": crontab(minute="*/5"),
    },
    "meetings-remind-delegations": {
        "task": "meetings.tasks.remind_unanswered_delegations",
        "schedule": crontab(minute=0, hour=7),
    },
    "meetings-anonymise-participants": {
        "task": "meetings.tasks.anonymise_participants",
        "schedule": crontab(minute=15, hour=3),
    },
}
DIGEST_BATCH_SIZE = env.int("DIGEST_BATCH_SIZE", default=100)
# A claim older than this is taken as left by a dead worker, and taken back by the next run.
DIGEST_CLAIM_TIMEOUT = datetime.timedelta(
    minutes=env.int("DIGEST_CLAIM_TIMEOUT_MINUTES", default=30)
)
DIGEST_MAX_ATTEMPTS = env.int("DIGEST_MAX_ATTEMPTS", default=5)
DIGEST_SEND_RETRIES = env.int("DIGEST_SEND_RETRIES", default=3)
DIGEST_RETRY_BACKOFF = env.float("DIGEST_RETRY_BACKOFF", default=2.0)
DIGEST_MEETING_DAYS = 30
# Meetings run by the portal (meetings/services.py): a delegate's personal link (registration,
# evaluation) works for MEETING_LINK_MAX_AGE days; participants' names and contact details are
# anonymised MEETING_ANONYMISE_AFTER_DAYS after the meeting's last day (the figures stay).
MEETING_LINK_MAX_AGE = datetime.timedelta(days=env.int("MEETING_LINK_MAX_AGE_DAYS", default=120))
MEETING_ANONYMISE_AFTER_DAYS = env.int("MEETING_ANONYMISE_AFTER_DAYS", default=365)
DIGEST_CONSULTATION_DAYS = env.int("DIGEST_CONSULTATION_DAYS", default=7)
# Notifications (portal_lib/notifications.py): each call's e-mails go over one connection per
# batch; what the server refuses is retried NOTIFICATION_MAX_RETRIES times, after
# NOTIFICATION_RETRY_DELAY seconds and twice as long each time (1, 2, 4, 8, 16 minutes), then
# recorded failed. The sweep sends what has waited longer than NOTIFICATION_PENDING_AFTER (a
# broker that was down when the event happened, a worker that died).
NOTIFICATION_BATCH_SIZE = env.int("NOTIFICATION_BATCH_SIZE", default=100)
NOTIFICATION_MAX_RETRIES = env.int("NOTIFICATION_MAX_RETRIES", default=5)
NOTIFICATION_RETRY_DELAY = env.int("NOTIFICATION_RETRY_DELAY", default=60)
NOTIFICATION_CLAIM_TIMEOUT = datetime.timedelta(minutes=15)
NOTIFICATION_PENDING_AFTER = datetime.timedelta(
    minutes=env.int("NOTIFICATION_PENDING_AFTER_MINUTES", default=5)
)
NOTIFICATION_SWEEP_LIMIT = 1000

# The open-data API (api/): read-only, public records only, no session or login (a signed-in
# person reads exactly what the public reads), JSON. ``format`` is the meetings list's filter of
# the meeting's format, not a choice of renderer: DRF's URL override is turned off.
# As the pages (portal_lib/pagination.py): page n of a list holds the same records here.
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=20)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=100)
# Requests per client address (portal_lib/client_ip.py) and period: "120/min", "5000/day".
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="120/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientAddressThrottle"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "URL_FORMAT_OVERRIDE": None,
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Rabat Process open data",
    "DESCRIPTION": (
        "The public records of the Rabat Process (Euro-African Dialogue on Migration and "
        "Development): action plans, partners, meetings with their participation figures, public "
        "documents, labelled projects and recommendations. Read-only; `?lang=fr` (or "
        "Accept-Language) for French."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from the portal's own static files (drf-spectacular-sidecar): no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choices of the same name in several models ("kind", "status"), each named for its model.
    "ENUM_NAME_OVERRIDES": {
        "MeetingKindEnum": "meetings.models.Meeting.Kind",
        "MeetingStatusEnum": "meetings.models.Meeting.Status",
        "MeetingDatePrecisionEnum": "meetings.models.DatePrecision",
        "DocumentKindEnum": "meetings.models.Document.Kind",
        "PartnerKindEnum": "focalpoints.models.Partner.Kind",
        "PartnerStatusEnum": "focalpoints.models.Partner.Status",
        "LabelledProjectKindEnum": "labelling.models.LabellingRequest.Kind",
        "FollowUpStatusEnum": "actionplan.models.RecommendationFollowUp.Status",
    },
}
# CORS: any site may read the API with GET (django-cors-headers); no credentials, no other path.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Content-Language"]
