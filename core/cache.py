"""The shared cache (Redis in production) as something pages can live without.

The cache carries import progress, leases and API throttle counts; none of it is the
portal's data. When Redis cannot be reached, a read is a miss and a write is dropped (each
logged), so pages and the API that do not need it keep serving instead of answering 500.
"""

from __future__ import annotations

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What each operation answers when Redis is unreachable: as if the key were not there.
_WHEN_UNREACHABLE = {
    "get": lambda *a, **k: k.get("default", a[1] if len(a) > 1 else None),
    "get_many": lambda *a, **k: {},
    "has_key": lambda *a, **k: False,
    "add": lambda *a, **k: False,
    "set": lambda *a, **k: None,
    "set_many": lambda keys, *a, **k: list(keys),
    "touch": lambda *a, **k: False,
    "incr": lambda *a, **k: None,
    "delete": lambda *a, **k: False,
    "delete_many": lambda *a, **k: None,
    "clear": lambda *a, **k: None,
}


def _tolerant(name: str, method):
    fallback = _WHEN_UNREACHABLE[name]

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError:
            logger.warning("The cache is unreachable (%s); carrying on without it", name)
            return fallback(*args, **kwargs)

    return call


class TolerantRedisCache(RedisCache):
    """Django's Redis cache, answering a miss rather than an error when Redis is down."""


for _name in _WHEN_UNREACHABLE:
    setattr(TolerantRedisCache, _name, _tolerant(_name, getattr(RedisCache, _name)))
