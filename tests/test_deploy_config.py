"""The shipped nginx configuration lets every body the app answers itself reach the app: a body
nginx refuses gets nginx's own English HTML 413 instead of the app's Chinese page."""

from __future__ import annotations

import re
from pathlib import Path

from app.dashboard.upload_routes import REQUEST_SLACK
from app.dashboard.uploads import MAX_UPLOAD_BYTES

NGINX = Path(__file__).resolve().parent.parent / "deploy" / "nginx" / "fzkt.conf"
UNITS = {"": 1, "k": 1024, "m": 1024 * 1024}


def test_nginx_lets_the_largest_upload_reach_the_app():
    found = re.search(r"^\s*client_max_body_size\s+(\d+)([kKmM]?);", NGINX.read_text(encoding="utf-8"), re.M)
    assert found, "client_max_body_size is set in the shipped nginx configuration"
    limit = int(found.group(1)) * UNITS[found.group(2).lower()]
    assert limit >= MAX_UPLOAD_BYTES + REQUEST_SLACK
