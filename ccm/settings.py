"""Settings for the Country Coalitions platform, driven by environment variables.

Secure by default: ``DEBUG`` is off unless set, and without ``DEBUG`` the platform refuses to start
without ``SECRET_KEY`` and ``ALLOWED_HOSTS``. See README.md, "Configuration".
"""

from pathlib import Path

import dj_database_url

from ccm.env import ConfigurationError, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("CCM_VAR_DIR", str(PROJECT_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)
# With DEBUG on, unknown pages still show the friendly "Not found" page unless this is set.
CCM_TECHNICAL_404 = env_bool("CCM_TECHNICAL_404", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigurationError("SECRET_KEY must be set when DEBUG is off (see README.md).")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not ALLOWED_HOSTS and not DEBUG:
    raise ConfigurationError("ALLOWED_HOSTS must be set when DEBUG is off (see README.md).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django_tasks_rq",
    # In the layer order (docs/architecture.md): each app imports only the ones above it here.
    "ccm.core",
    "ccm.states",
    "ccm.accounts",
    "ccm.reporting",
    "ccm.needs",
    "ccm.funding",
    "ccm.victims",
    "ccm.transparency",
    "ccm.profiles",
    "ccm.actions",
    "ccm.consultations",
    "ccm.meetings",
    "ccm.coalitions",
    "ccm.coordination",
    "ccm.library",
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling: must come first
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "me:home"  # what waits for the person (ccm/core/worklist.py)
LOGOUT_REDIRECT_URL = "states:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
CCM_INVITATION_DAYS = env_int("CCM_INVITATION_DAYS", 7)
# Spreadsheet imports (ccm.core.imports): one row limit for every kind, counted while the file is read;
# the number of problems kept and shown (the others are counted); the unpacked size of an XLSX archive.
CCM_IMPORT_MAX_ROWS = env_int("CCM_IMPORT_MAX_ROWS", 1000)
CCM_IMPORT_MAX_PROBLEMS = env_int("CCM_IMPORT_MAX_PROBLEMS", 200)
CCM_IMPORT_MAX_MEMBER_BYTES = env_int("CCM_IMPORT_MAX_MEMBER_BYTES", 16 * 1024 * 1024)
CCM_IMPORT_MAX_UNPACKED_BYTES = env_int("CCM_IMPORT_MAX_UNPACKED_BYTES", 64 * 1024 * 1024)

MIDDLEWARE = [
    "ccm.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ccm.accounts.middleware.UserLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ccm.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "ccm.core.middleware.NoStoreMiddleware",
    "ccm.core.middleware.FriendlyNotFoundMiddleware",
]

ROOT_URLCONF = "ccm.urls"
WSGI_APPLICATION = "ccm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'ccm.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# One date style on every page (see ccm/formats/): "1 May 2026".
FORMAT_MODULE_PATH = ["ccm.formats"]
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
# Attached documents (ccm.core.documents): stored under their content hash, outside the web root and
# outside every static or media URL; served only through a view that checks the parent's policy.
CCM_PRIVATE_STORAGE_DIR = Path(env_str("CCM_PRIVATE_STORAGE_DIR", str(VAR_DIR / "private")))
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

# Security: secure by default outside DEBUG.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# A load balancer asks the web workers directly, over plain HTTP: the health endpoints answer it, not a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "ccm.core.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ccm.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "ccm.core.throttling.AnonRateThrottle",
        "ccm.core.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "120/minute"),
        "user": env_str("API_THROTTLE_USER", "600/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Country Coalitions API",
    "DESCRIPTION": (
        "The Country Coalitions platform for the Convention on Cluster Munitions, as data: the registry of "
        "States and their obligations (Article 3 stockpile destruction, Article 4 clearance) with deadlines "
        "and extension requests; each State's baselines, yearly progress and costed completion plans; needs "
        "stated by affected States, their obstacles and the responses of donors; donor profiles; the funding "
        "ledger (pledges, commitments, disbursements, converted to US dollars) and coverage; documents; "
        "background jobs; the audit trail.\n\n"
        "**Access.** Every answer holds only what the caller may see: anonymous callers get public data; "
        "send a personal token (created on your account page) as `Authorization: Token <key>` to act as "
        "yourself. An object the caller may not see answers 404, as if it did not exist; an action the "
        "caller may see but not take answers 403.\n\n"
        "**Lists** are paginated with `limit` (1 to 500) and `offset`; a value outside the bounds answers 400 "
        "with the reason. Amounts are decimal strings with two decimals; dates are ISO 8601; codes (pillar, "
        "stage, status) are listed with their meaning in each schema."
    ),
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "TAGS": [
        {
            "name": "states",
            "description": "The registry: States, treaty status, obligations, deadlines, "
            "extension requests; and per State its baselines, progress, completion plans and remaining work.",
        },
        {"name": "needs", "description": "Needs stated by affected States, with their thread of responses."},
        {"name": "obstacles", "description": "Obstacles affected States name to meeting their obligations."},
        {"name": "donors", "description": "Donor profiles: what each donor funds, how, when and how to ask."},
        {"name": "flows", "description": "The funding ledger: pledges, commitments and disbursements."},
        {"name": "pledges", "description": "Pledges on needs and what followed each: commitments and disbursements."},
        {"name": "coverage", "description": "Money required against money pledged, committed and disbursed."},
        {"name": "rates", "description": "Exchange rates used to convert amounts to US dollars."},
        {"name": "documents", "description": "Files attached to needs, responses and other objects."},
        {"name": "organisations", "description": "Organisations and their members."},
        {"name": "me", "description": "The signed-in user."},
        {"name": "tasks", "description": "Background jobs (coordinators)."},
        {
            "name": "summaries",
            "description": "De-identified summaries of meetings (published ones public; the check and its "
            "waivers for conveners and reviewers), and each participant's own briefing pack.",
        },
        {
            "name": "coalitions",
            "description": "Country coalitions: members, work plan, threads (members only), scorecards.",
        },
        {"name": "audit", "description": "The audit trail: who changed what, when (redacted where confidential)."},
        {"name": "actions", "description": "Follow-up actions of meetings and coalitions: owner, due date, status."},
        {
            "name": "coordination",
            "description": "For coordinators: completion forecasts, the attention gap, matching donors to needs, "
            "allocation runs (a shared run is also seen by the donors in it, their own lines only).",
        },
        {"name": "syntheses", "description": "Consultation syntheses: counts, figures and themes, de-attributed."},
        {
            "name": "consultations",
            "description": "Consultations: question sets (public once published), their versions and XLSForms, "
            "campaigns and their answering workbooks, and answers (an organisation's own; submitted ones for "
            "coordinators, attributed only for conveners and the implementation support unit).",
        },
        {
            "name": "meetings",
            "description": "Meetings between affected and donor States: agenda, replies, key points without "
            "attribution, confidential notes (only for those allowed) and the iCalendar invitation.",
        },
        # Site search (search)
        {
            "name": "search",
            "description": "One search over practices, offers, needs, States, donor profiles, published meeting "
            "summaries and coalitions: only what the caller may see, counted after filtering.",
        },
        # victim assistance (Article 5)
        {
            "name": "victims",
            "description": "Victim assistance (Article 5): States' declarations, focal points and plans, and yearly "
            "figures by measure, sex and age group — small numbers protected unless the caller may see them exact.",
        },
        # library: practices and offers (issue 18)
        {
            "name": "library",
            "description": "Good practices and lessons (Markdown rendered sanitised) and offers of expertise, "
            "equipment and training places, as each reader may see them.",
        },
        # Article 7 reporting status (ccm/transparency)
        {
            "name": "transparency",
            "description": "Article 7 transparency reports: each State Party's reports, their due dates and "
            "status (public), and the on-time rate per year with unknown reports counted apart.",
        },
        # Article 7 drafts (art7draft)
        {
            "name": "transparency-drafts",
            "description": "A State's annual Article 7 report drafted from the platform's data, items (a) to (n) "
            "with the source of every figure (the State's government and coordinators).",
        },
    ],
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ccm.core.pagination.add_page_parameters",
    ],
    # ids in paths (``<id:pk>``, ccm.core.converters): integers of up to 18 digits
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999}},
    "ENUM_NAME_OVERRIDES": {
        "ObligationKindEnum": "ccm.states.models.ObligationKind",
        "FigureKindEnum": "ccm.reporting.models.FigureKind",
        "OrganisationKindEnum": "ccm.accounts.models.OrganisationKind",
        "ReportStatusEnum": "ccm.reporting.models.ReportStatus",
        "PlanStatusEnum": "ccm.reporting.models.PlanStatus",
        "NeedStatusEnum": "ccm.needs.models.NeedStatus",
        "ObligationStatusEnum": "ccm.states.models.ObligationStatus",
        "ActionStatusEnum": "ccm.actions.models.ActionStatus",
        "MeetingStatusEnum": "ccm.meetings.models.MeetingStatus",
        "MeetingKindEnum": "ccm.meetings.models.MeetingKind",
        "CoalitionStatusEnum": "ccm.coalitions.models.CoalitionStatus",
        "QuestionSetVersionStatusEnum": "ccm.consultations.models.VersionStatus",
        "MeetingSummaryStatusEnum": "ccm.meetings.publish_models.SummaryStatus",
        "OrganisationRoleEnum": "ccm.accounts.models.Role",
        "CoordinationForecastStatusEnum": "ccm.coordination.models.ForecastStatus",
        "AllocationStatusEnum": "ccm.coordination.models.AllocationStatus",
        "SearchKindEnum": "ccm.library.search_models.SearchKind",  # site search (search)
        "VictimFigureStatusEnum": "ccm.victims.selectors.FigureStatus",  # victim assistance
        "LibraryOfferKindEnum": "ccm.library.models.OfferKind",  # library (issue 18)
        # Article 7 reporting status (ccm/transparency)
        "TransparencyReportKindEnum": "ccm.transparency.models.ReportKind",
        "TransparencyReportStatusEnum": "ccm.transparency.selectors.ReportStanding",
        "TransparencySubmissionStatusEnum": "ccm.transparency.models.SubmissionStatus",
    },
}

# Login throttling (django-axes): after 5 failures for one e-mail address from one IP address,
# sign-in is refused for 15 minutes, with the same message whether or not the account exists.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a reverse proxy, count its hops so throttling uses the client's address, not the proxy's
# (otherwise one attacker could lock every account out for everyone).
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0) or None
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Second factor (django-otp TOTP)
OTP_TOTP_ISSUER = "Country Coalitions"

# Content Security Policy (django-csp): our own scripts, styles and images only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# E-mail: printed to the console unless an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Country Coalitions <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)

# Background tasks (the Django tasks API, django-tasks backport). TASKS_BACKEND chooses where they run:
# "db" (the default: the database holds the queue, `ccm db_worker` runs it; no other service), "rq" (Redis at
# REDIS_URL, any number of `ccm rqworker` on any number of machines) or "immediate" (inside the request;
# tests and debugging only). Timed work: cron runs `ccm tick` every few minutes. See README.md.
TASKS_BACKEND = env_str("TASKS_BACKEND", "db")
_TASK_BACKENDS = {
    "db": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ConfigurationError(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)} (see README.md).")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": env_int("RQ_JOB_TIMEOUT", 3600)}}
RQ = {"JOB_CLASS": "django_tasks_rq.Job"}  # so a plain `ccm rqworker default` runs the tasks' jobs

# The cache, shared by every process that writes (web workers and task workers alike), so that a figure cached
# by one process is invalidated for all (ccm/core/cache.py): "database" (the default: a table in the platform's
# database, no other service), "redis" (production: CACHE_REDIS_URL, by default REDIS_URL; keys start with "ccm:", RQ's
# with "rq:") or "memory" (one process only: a single-process server or a test).
CACHE_BACKEND = env_str("CACHE_BACKEND", "database")
CACHE_TABLE = "ccm_cache"
_CACHE_BACKENDS = {
    "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE},
    "redis": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("CACHE_REDIS_URL", REDIS_URL),
    },
    "memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
if CACHE_BACKEND not in _CACHE_BACKENDS:
    raise ConfigurationError(f"CACHE_BACKEND must be one of {', '.join(_CACHE_BACKENDS)} (see docs/deployment.md).")
CACHES = {
    "default": {
        **_CACHE_BACKENDS[CACHE_BACKEND],
        "KEY_PREFIX": "ccm",
        "TIMEOUT": env_int("CACHE_TIMEOUT", 3600),
        "OPTIONS": {"MAX_ENTRIES": 5000} if CACHE_BACKEND != "redis" else {},
    },
    # The API's rate limits (ccm/core/throttling.py): in Redis when there is one, else in each process's memory.
    "throttle": {
        **(_CACHE_BACKENDS["redis"] if CACHE_BACKEND == "redis" else _CACHE_BACKENDS["memory"]),
        "KEY_PREFIX": "ccm-throttle",
    },
}
# Spreadsheet imports with more rows than this are applied by a background task, not in the request.
CCM_TASK_APPLY_ABOVE_ROWS = env_int("CCM_TASK_APPLY_ABOVE_ROWS", 300)
# The completion forecast (ccm/coordination): Monte Carlo draws per obligation and the seed (deterministic)
CCM_FORECAST_DRAWS = env_int("CCM_FORECAST_DRAWS", 10_000)
CCM_FORECAST_SEED = env_int("CCM_FORECAST_SEED", 2026)
# Uploaded files waiting for a task (IATI files): kept outside the web root.
CCM_TASK_FILES_DIR = Path(env_str("CCM_TASK_FILES_DIR", str(VAR_DIR / "task-files")))

# The platform's public address, for links in e-mail sent outside a request (digests).
CCM_SITE_URL = env_str("CCM_SITE_URL", "http://127.0.0.1:8000")

LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ConfigurationError("LOG_FORMAT must be text or json (see README.md).")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "ccm.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", **({"formatter": "json"} if LOG_FORMAT == "json" else {})}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
