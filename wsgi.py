"""Entry point: `gunicorn wsgi:app` serves the app, `flask --app wsgi …` runs its commands.

Serving in production needs a secret key; the commands do not (app.configure_settings). Without a key,
or with a setting that cannot be used, gunicorn stops with the one-line reason instead of a traceback.
"""

import sys

from app import StartupRefused, create_app

try:
    app = create_app()
except StartupRefused as refused:
    if "gunicorn" not in sys.modules:
        raise
    from gunicorn.errors import AppImportError

    class Refused(AppImportError, RuntimeError):
        """gunicorn prints either kind as one line and stops: an AppImportError in a worker ("App failed
        to load."), a RuntimeError in the master (--preload)."""

    raise Refused(refused.message) from None
