"""gunicorn settings, read from the working directory by `gunicorn wsgi:app` (and `make run`).

Command-line options (--workers, --bind …) still win over this file.

Request limits: gunicorn answers a request line or header over its limits itself, with an HTML page,
before the app sees it; the API's clients expect the contract's JSON. So gunicorn's limits sit above
the app's own (app/errors/limits.py: a URL of 4 096 bytes, 100 header fields, a Cookie of 8 190 bytes),
and the common oversize cases reach the app, which answers 414 or 431 in the contract's shape.
gunicorn still answers, in HTML: a request line over 8 190 bytes (414, its maximum), more than 200
header fields or one over 16 384 bytes (431), and malformed HTTP (400).
"""

limit_request_line = 8190  # gunicorn's maximum (default 4094); the app refuses URLs over 4 096 bytes
limit_request_fields = 200  # default 100; the app refuses more than 100
limit_request_field_size = 16384  # default 8190; the app refuses a Cookie over 8 190 bytes
