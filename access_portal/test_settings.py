"""Settings for the test suite: the production settings, served on plain HTTP as `make run`
serves them on 127.0.0.1, with static files under hashed names from a manifest (collected
once per run into a folder of the run's own by the root conftest). Only the WhiteNoise
compression is left out, to keep collecting quick. The demo app is installed: its tests and
those of other apps build data with its generators."""

import os

os.environ.setdefault("DJANGO_HTTPS", "0")

from django.contrib.auth.hashers import PBKDF2PasswordHasher  # noqa: E402

from access_portal.settings import *  # noqa: E402, F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

if "demo" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405


# Passwords hashed in one round of PBKDF2 rather than production's million: the tests make
# users and sign them in by the hundred, and each hash took most of a second. The
# algorithm, and every check of a password, is the one production runs.
class OneRoundPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1


PASSWORD_HASHERS = ["access_portal.test_settings.OneRoundPBKDF2PasswordHasher"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # The test database is thrown away after the run, so its commits need not wait for the
    # disk (the worker and browser tests commit every write).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
