"""The 承诺书 sign rate (app.groups.rates): each group counts at most its size, and every place
that shows a rate (class page, boards, API, reports) gives the same figure."""

from __future__ import annotations

from fractions import Fraction

from sqlalchemy import literal, select

from app.groups.rates import sign_rate, sign_share, signed_in_size, signed_in_size_sql
from tests.factories import UserFactory

GRID = [(pledges, size) for size in (0, 1, 3, 40) for pledges in (0, 1, 2, 3, 39, 40, 41, 100)]


def test_rate_is_capped_at_the_size():
    assert signed_in_size(41, 40) == 40 and sign_rate(41, 40) == 1
    assert sign_rate(3, 0) == 0 and sign_share(3, 0) == 0.0
    for pledges, size in GRID:
        assert float(sign_rate(pledges, size)) == sign_share(pledges, size)
        assert 0 <= sign_rate(pledges, size) <= 1


def test_sql_counts_as_python_does(app, db):
    for pledges, size in GRID:
        expression = signed_in_size_sql(literal(pledges), literal(size))
        assert db.session.scalar(select(expression)) == signed_in_size(pledges, size), (pledges, size)


def test_every_page_gives_the_same_rate(app, db):
    """A ward where more people signed than it has (15 of 10) counts 10; beside an empty one the
    hospital's rate is 10 of 20 on the organisation report, the campaign board and the API alike."""
    from app.groups import services
    from app.leaderboard.boards import campaign_board_of, organisation_board_of
    from app.reports.organisations import organisation_report

    campaign = services.create_campaign("全县反诈宣传月")
    org = services.create_organisation("县医院", "hospital", campaign.id)
    full = services.create_group(org, "内科", 10)
    services.create_group(org, "外科", 10)
    full.pledges = 15
    db.session.commit()
    code, org_id, campaign_id = full.join_code, org.id, campaign.id
    admin = UserFactory(role="admin")

    report = organisation_report(admin, org)
    assert report.totals.sign_rate == Fraction(1, 2)
    assert {line.group.name: line.sign_rate for line in report.lines} == {"内科": 1, "外科": 0}
    board = organisation_board_of(org_id)
    assert board is not None and {row.name: row.sign_rate for _, row in board.ranked} == {"内科": 1, "外科": 0}
    on_campaign = campaign_board_of(campaign_id)
    assert on_campaign is not None and [row.sign_rate for _, row in on_campaign.ranked] == [Fraction(1, 2)]
    db.session.remove()

    client = app.test_client()
    entries = client.get(f"/api/v1/campaigns/{campaign_id}/leaderboard").json["entries"]
    assert [e["pledge_rate"] for e in entries] == [0.5]
    entries = client.get(f"/api/v1/organisations/{org_id}/leaderboard").json["entries"]
    assert {e["group"]: e["pledge_rate"] for e in entries} == {"内科": 1.0, "外科": 0.0}
    assert "签署率 100%" in client.get(f"/g/{code}").text
