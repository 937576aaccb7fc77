"""The report pages are a fixed handful of aggregated queries: their count does not grow with the
number of attempts, answers or people."""

from __future__ import annotations

from tests.factories import AttemptFactory, GroupFactory, UserFactory
from tests.helpers import sign_in


def _counts(client, query_recorder, urls):
    counts = []
    for url in urls:
        client.get(url)  # warm: per-worker caches (bank versions, templates)
        with query_recorder:
            assert client.get(url).status_code == 200
        counts.append(len(query_recorder))
    return counts


def test_group_report_queries_do_not_grow_with_attempts(app, client, query_recorder):
    group = GroupFactory(organisation__kind="community", name="幸福里一组", size=20)
    organiser = UserFactory(role="organiser", organisation_id=group.organisation_id)
    urls = [f"/reports/groups/{group.id}", f"/reports/groups/{group.id}/print",
            f"/reports/groups/{group.id}/export.csv", f"/reports/groups/{group.id}/export.xlsx",
            f"/reports/groups/{group.id}/pledges.csv", f"/reports/groups/{group.id}/certificates",
            f"/reports/organisations/{group.organisation_id}"]

    AttemptFactory(group=group, nickname="张奶奶", right=5)
    AttemptFactory(group=group, nickname="李爷爷", answered=3, right=2, finished=False)
    sign_in(client, organiser)
    few = _counts(client, query_recorder, urls)

    for n in range(8):
        AttemptFactory(group=group, nickname=f"王阿姨{n}", right=n)
        AttemptFactory(group=group, nickname=f"赵叔叔{n}", answered=2, right=1, finished=False)
    many = _counts(client, query_recorder, urls)

    assert many == few, dict(zip(urls, zip(few, many, strict=True), strict=True))
    # user, group, organisation, assignments, stats, attempt counts, pending, buckets, items, prompts
    assert few[0] <= 11, few
