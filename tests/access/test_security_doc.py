"""docs/security.md shows the access policy as it is declared now."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from access_portal.access_policy import POLICY, policy_markdown


def test_the_security_page_holds_the_current_policy_table():
    text = (Path(settings.BASE_DIR) / "docs" / "security.md").read_text()
    shown = re.search(r"<!-- access policy: begin -->\n(.*)<!-- access policy: end -->", text, re.S)

    assert shown is not None
    assert shown.group(1) == policy_markdown(POLICY), (
        "docs/security.md is out of date: paste in `manage.py access_policy`"
    )
