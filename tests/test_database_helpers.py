"""app.database's shared rules: the id range (`row_id`, MAX_ROW_ID) and the retry on a unique-code
collision (`add_with_fresh_code`), with the callers that use them."""

from __future__ import annotations

import pytest

from app.database import CODE_TRIES, MAX_ROW_ID, NoFreeCode, add_with_fresh_code, row_id
from app.errors import DomainError
from tests.helpers import make_group


def test_row_id_accepts_only_what_an_integer_column_holds():
    assert [row_id(v) for v in (1, MAX_ROW_ID)] == [1, MAX_ROW_ID]
    assert [row_id(v) for v in (0, -1, MAX_ROW_ID + 1, 2**63, True, "3", 3.0, None)] == [None] * 8


@pytest.mark.parametrize("url", ["/o/{big}", "/c/{big}", "/api/v1/organisations/{big}/leaderboard",
                                 "/api/v1/campaigns/{big}/leaderboard", "/o/0"])
def test_an_id_out_of_range_is_not_found(client, url):
    assert client.get(url.format(big=MAX_ROW_ID + 1)).status_code == 404


def test_openapi_states_the_same_range():
    from app.api.openapi import spec

    params = spec()["paths"]["/api/v1/organisations/{org_id}/leaderboard"]["get"]["parameters"]
    assert params[0]["schema"]["maximum"] == MAX_ROW_ID


def test_a_collision_is_retried_with_a_fresh_code(app, db, monkeypatch):
    from app.groups import services

    taken = make_group(app, kind="hospital", org_name="县医院")
    org = services.get_organisation(taken["org_id"])
    drawn = iter([taken["join_code"], taken["join_code"], "FRESH7"])
    monkeypatch.setattr(services, "new_join_code", lambda: next(drawn))
    group = services.create_group(org, "外科", 20)
    assert group.join_code == "FRESH7"


def test_endless_collisions_end_in_a_plain_refusal(app, db, monkeypatch):
    from app.groups import services

    taken = make_group(app, kind="hospital", org_name="县医院")
    org = services.get_organisation(taken["org_id"])
    calls = []

    def same_code() -> str:
        calls.append(1)
        return taken["join_code"]

    monkeypatch.setattr(services, "new_join_code", same_code)
    with pytest.raises(NoFreeCode, match="暂时无法生成科室码") as refused:
        services.create_group(org, "外科", 20)
    assert len(calls) == CODE_TRIES and isinstance(refused.value, DomainError) and refused.value.status == 503


def test_a_row_made_by_a_double_tap_is_returned(app, db):
    from app.groups.models import Group

    first = make_group(app)
    existing = db.session.get(Group, first["group_id"])

    def duplicate() -> Group:
        return Group(join_code=first["join_code"], organisation_id=existing.organisation_id, name="x", size=1,
                     quiz_id=existing.quiz_id)

    assert add_with_fresh_code(db.session, duplicate, made_already=lambda: db.session.get(Group, first["group_id"])) \
        .id == first["group_id"]


def test_every_code_maker_uses_the_helper():
    """Join codes, family links and certificates: no loop of their own (they would drift)."""
    import inspect

    from app.groups import services
    from app.records import certificates, family

    for function in (services.create_group, family.create_link, certificates.issue):
        source = inspect.getsource(function)
        assert "add_with_fresh_code(" in source and "IntegrityError" not in source, function.__qualname__
