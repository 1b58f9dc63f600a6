"""The access matrix borrows the ARRS tests' plans: a round with a plan in every state."""

from arrs.tests.conftest import plans  # noqa: F401
