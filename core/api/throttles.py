"""Request rates. Each token belongs to one user, so counting by user counts per token
(and a signed-in browser user shares the same allowance). Rates live in settings."""

from __future__ import annotations

from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle


class TokenRateThrottle(UserRateThrottle):
    """Every authenticated request: REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token"]."""

    scope = "token"


class UploadRateThrottle(ScopedRateThrottle):
    """Only views that set ``throttle_scope = "uploads"``: file uploads start imports."""
