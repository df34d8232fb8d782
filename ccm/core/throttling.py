"""The API's rate limits, counted in the ``throttle`` cache (settings.CACHES).

With Redis (``CACHE_BACKEND=redis``) every worker on every machine counts in one place. On the embedded
default the counts are kept in each worker process's memory: a database table would take a write on every
API request, and the limit then applies per worker process (with two workers, twice the rate at most).
"""

from __future__ import annotations

from django.core.cache import caches
from rest_framework import throttling


class AnonRateThrottle(throttling.AnonRateThrottle):
    cache = caches["throttle"]


class UserRateThrottle(throttling.UserRateThrottle):
    cache = caches["throttle"]
