"""Settings for the test suite: production settings with a test key and a fast password hasher."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/5")  # database 5: kept apart from anything else

from ccm.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "10000/minute", "user": "10000/minute"}}  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files are served by the test client's finders; WhiteNoise would warn about an empty STATIC_ROOT.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
# Attached documents go to a throw-away folder, removed when the test run ends.
CCM_PRIVATE_STORAGE_DIR = Path(tempfile.mkdtemp(prefix="ccm-private-"))
atexit.register(shutil.rmtree, CCM_PRIVATE_STORAGE_DIR, True)
# Tasks run inside the test, so mail lands in mail.outbox; the tests of the database and RQ backends switch.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
CCM_TASK_FILES_DIR = Path(tempfile.gettempdir()) / f"ccm-test-task-files-{os.getpid()}"  # noqa: F405
# The completion forecast takes few draws in tests (the pure module has its own tests at full size).
CCM_FORECAST_DRAWS = 400
