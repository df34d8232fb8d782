"""WSGI entry point: ``gunicorn ccm.wsgi`` (or any WSGI server)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccm.settings")
application = get_wsgi_application()
