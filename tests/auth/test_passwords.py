"""Password hashing cost: production hashes at 600 000 PBKDF2 rounds; the setting changes only new
hashes, so passwords stored under another setting still sign in, and a weaker one is upgraded."""

from __future__ import annotations

import functools

from app import create_app
from app.config import Defaults, from_environment
from tests.auth.builders import get_user, login
from tests.factories import PASSWORD, UserFactory


@functools.cache
def _production_hash() -> str:
    """A hash made by an app with production's settings (its cost is the point: made once)."""
    from app.auth.passwords import hash_password

    app = create_app({"APP_ENV": "production", "SECRET_KEY": "a-real-secret"})
    with app.app_context():
        return hash_password(PASSWORD)


def test_production_hashes_with_600000_rounds() -> None:
    assert Defaults.PASSWORD_HASH_ITERATIONS == 600_000
    assert _production_hash().startswith("pbkdf2:sha256:600000$")


def test_the_rounds_can_be_set_from_the_environment() -> None:
    assert from_environment({"PASSWORD_HASH_ITERATIONS": "900000"}) == {"PASSWORD_HASH_ITERATIONS": 900_000}


def test_a_password_stored_with_more_rounds_signs_in_and_keeps_its_hash(app, client) -> None:
    assert app.config["PASSWORD_HASH_ITERATIONS"] < 600_000  # the test app's low cost
    user_id = UserFactory(email="head@school.cn").id
    from app.auth.models import User
    from app.extensions import db

    with app.app_context():
        db.session.get(User, user_id).password_hash = _production_hash()
        db.session.commit()
    assert login(client, email="head@school.cn", password=PASSWORD).status_code == 303
    assert get_user(app, user_id).password_hash == _production_hash()


def test_a_weaker_stored_hash_is_upgraded_at_sign_in(app_factory) -> None:
    weak = app_factory(PASSWORD_HASH_ITERATIONS=500)
    with weak.app_context():
        user_id = UserFactory(email="old@school.cn").id
    assert get_user(weak, user_id).password_hash.startswith("pbkdf2:sha256:500$")
    stronger = app_factory(PASSWORD_HASH_ITERATIONS=2000)
    assert login(stronger.test_client(), email="old@school.cn", password=PASSWORD).status_code == 303
    assert get_user(stronger, user_id).password_hash.startswith("pbkdf2:sha256:2000$")
