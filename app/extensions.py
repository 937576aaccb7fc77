"""Every Flask extension, created unbound here and bound in the factory."""

from __future__ import annotations

from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from app.database import Base
from app.ratelimit.keys import ip_limit, remote_address
from app.ratelimit.limiter import Limiter

# Objects stay usable after a commit: a view that records an answer renders it without reloading.
# Code that needs fresh values after someone else's write reloads explicitly (populate_existing).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
csrf = CSRFProtect()
# The per-IP flood guard counts writes only: reading pages, questions, clips and boards costs no
# counter, and routes with their own limit (starting, answering) use that limit instead.
limiter = Limiter(default_limit=ip_limit, default_key=remote_address)
