"""The report pages are a fixed handful of aggregated queries: their count does not grow with the
number of attempts, answers or people."""

from __future__ import annotations

from tests.factories import UserFactory
from tests.helpers import make_group, sign_in
from tests.reports.builders import play


def _counts(client, query_recorder, urls):
    counts = []
    for url in urls:
        client.get(url)  # warm: per-worker caches (bank versions, templates)
        with query_recorder:
            assert client.get(url).status_code == 200
        counts.append(len(query_recorder))
    return counts


def test_group_report_queries_do_not_grow_with_attempts(app, client, query_recorder):
    made = make_group(app, kind="community", name="幸福里一组", size=20)
    code, quiz = made["join_code"], made["quiz_id"]
    organiser = UserFactory(role="organiser", organisation_id=made["org_id"])
    urls = [f"/reports/groups/{made['group_id']}", f"/reports/groups/{made['group_id']}/print",
            f"/reports/groups/{made['group_id']}/export.csv", f"/reports/groups/{made['group_id']}/export.xlsx",
            f"/reports/groups/{made['group_id']}/pledges.csv", f"/reports/groups/{made['group_id']}/certificates",
            f"/reports/organisations/{made['org_id']}"]

    play(app, client, code, quiz, "张奶奶", right=5)
    play(app, client, code, quiz, "李爷爷", right=2, answer=3, finish=False)
    sign_in(client, organiser)
    few = _counts(client, query_recorder, urls)

    for n in range(8):
        play(app, client, code, quiz, f"王阿姨{n}", right=n)
        play(app, client, code, quiz, f"赵叔叔{n}", right=1, answer=2, finish=False)
    sign_in(client, organiser)
    many = _counts(client, query_recorder, urls)

    assert many == few, dict(zip(urls, zip(few, many, strict=True), strict=True))
    # user, group, organisation, assignments, stats, attempt counts, pending, buckets, items, prompts
    assert few[0] <= 11, few
