"""Teachers upload their own items (Excel or GIFT) as a private quiz for their groups."""

from __future__ import annotations

from app.dashboard.routes import bp  # noqa: F401 - views below attach to the dashboard blueprint
