"""Settings for the test suite: the production settings, served on plain HTTP as `make run`
serves them on 127.0.0.1, with static files under hashed names from a manifest (collected
once per run into a folder of the run's own by the root conftest). Only the WhiteNoise
compression is left out, to keep collecting quick. The demo app is installed: its tests and
those of other apps build data with its generators."""

import os

os.environ.setdefault("DJANGO_HTTPS", "0")

from access_portal.settings import *  # noqa: E402, F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

if "demo" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
