"""The one redirect-target check (app.security.safe_next), and every form that follows a `next`:
sign-in, the 长辈版 switch (/care) and the voice choice (/voice). None may send anyone off-site, and
none may answer 500 to a target with a newline."""

from __future__ import annotations

import re

import pytest

from app.security import safe_next
from tests.helpers import csrf_token

LOCAL = ["/", "/track/elder", "/reports/1?view=projector", "/g/ABC-DEF#board", "/play/elder-listen?a=1&b=%2F%2F"]
HOSTILE = [
    None, "", "evil.example", "https://evil.example/", "javascript:alert(1)", "//evil.example", "///evil.example",
    "/\\evil.example", "\\\\evil.example", "/\t/evil.example", "/\n/evil.example", "/\r\nSet-Cookie: x=1",
    "/ /evil.example", "/\x00", "/\x7f", "/\u2028/evil.example", "/\u200b/evil.example", "/\uff0fevil.example",
    "\uff0f\uff0fevil.example", "/\uff3cevil.example", "/" + "a" * 600,
]


@pytest.mark.parametrize("target", LOCAL)
def test_local_paths_are_kept(target):
    assert safe_next(target) == target


@pytest.mark.parametrize("target", HOSTILE)
def test_anything_else_is_refused(target):
    assert safe_next(target) is None


def test_no_other_copy_of_the_check():
    """The sign-in and the 长辈版 / voice forms use this one check, not a copy of their own."""
    from app.auth import routes as auth_routes
    from app.main import routes as main_routes

    assert auth_routes.safe_next is safe_next and main_routes.safe_next is safe_next


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/evil.example", "/\r\nSet-Cookie: a=b", "//evil.example",
                                    "/\\evil.example", "https://evil.example/", "/\uff0f/evil.example"])
def test_care_and_voice_never_leave_the_site_nor_fail(client, target):
    token = csrf_token(client.get("/").text)
    care = client.post("/care", data={"csrf_token": token, "next": target})
    voice = client.post("/voice", data={"csrf_token": token, "lang": "yue", "next": target})
    for response in (care, voice):
        assert response.status_code == 303 and response.headers["Location"] == "/"


def test_care_and_voice_follow_a_local_path(client):
    token = csrf_token(client.get("/").text)
    assert client.post("/care", data={"csrf_token": token, "next": "/track/elder"}).headers["Location"] == "/track/elder"
    voice = client.post("/voice", data={"csrf_token": token, "lang": "yue", "next": "/track/elder?x=1"})
    assert voice.status_code == 303 and voice.headers["Location"] == "/track/elder?x=1"


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/evil.example", "//evil.example"])
def test_sign_in_page_drops_a_hostile_next(client, target):
    page = client.get("/staff/login", query_string={"next": target})
    kept = re.search(r'id="login-next" name="next" type="hidden" value="([^"]*)"', page.text)
    assert page.status_code == 200 and kept is not None and kept.group(1) == ""
