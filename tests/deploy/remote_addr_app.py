"""The app as gunicorn serves it (wsgi.app) plus one route that shows what the app believes about
the client: its address, scheme and host after TRUSTED_PROXIES. Served only by tests/deploy."""

from flask import request

from wsgi import app


@app.get("/_test/client")
def client() -> dict[str, str | None]:
    return {"remote_addr": request.remote_addr, "scheme": request.scheme, "host": request.host}
