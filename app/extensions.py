"""Every Flask extension, created unbound here and bound in the factory."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from app import ratelimit_storage  # noqa: F401 - registers the worker-memory:// scheme with limits
from app.database import Base
from app.ratelimits import ip_limit, reads_only

# Objects stay usable after a commit: a view that records an answer renders it without reloading.
# Code that needs fresh values after someone else's write reloads explicitly (populate_existing).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
csrf = CSRFProtect()
# The per-IP flood guard counts writes only: reading pages, questions, clips and boards costs no
# counter (the limiter's bookkeeping was a third of a question fetch), and routes with their own
# limit (starting, answering) use that limit instead.
limiter = Limiter(key_func=get_remote_address, default_limits=[ip_limit], default_limits_exempt_when=reads_only)
# No read has a limit of its own either (every route limit is on POST), so reads skip the limiter's
# bookkeeping altogether: resolving the limits that do not apply cost 8 % of a question fetch.
limiter.request_filter(reads_only)
