"""A phone or a teacher's browser over real HTTP: cookies kept, forms posted with their CSRF token."""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import Any

from tests.deploy.conftest import Reply, call
from tests.helpers import csrf_token


class Browser:
    def __init__(self, headers: dict[str, str] | None = None) -> None:
        self.cookies: dict[str, str] = {}
        self.headers = dict(headers or {})

    def request(self, port: int, method: str, path: str, **kwargs: Any) -> Reply:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        reply = call(port, method, path, headers=headers, **kwargs)
        for line in reply.set_cookies:
            jar: SimpleCookie = SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        return reply

    def get(self, port: int, path: str, **kwargs: Any) -> Reply:
        return self.request(port, "GET", path, **kwargs)

    def submit(self, port: int, path: str, page: Reply, **fields: str) -> Reply:
        """POST a form taken from `page` (which may come from another host) with its CSRF token."""
        return self.request(port, "POST", path, form={"csrf_token": csrf_token(page.text), **fields})
