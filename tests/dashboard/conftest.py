"""A small world for the dashboard tests: two hospitals, a school, and an account of every kind."""

from __future__ import annotations

from typing import Any

import pytest

from tests.dashboard.builders import set_teacher
from tests.factories import UserFactory
from tests.helpers import make_group


@pytest.fixture()
def world(app) -> dict[str, Any]:
    """Org A (hospital) with groups a1 (teacher ta1) and a2 (teacher ta2); org B (hospital) with b1
    (teacher tb1); school S with s1 (teacher ts1). Organisers oa and ob; one admin."""
    a1 = make_group(app, "内科", 30, kind="hospital", org_name="县人民医院")
    a2 = make_group(app, "外科", 20, org_id=a1["org_id"])
    b1 = make_group(app, "儿科", 12, kind="hospital", org_name="县中医院")
    s1 = make_group(app, "初一（3）班", 45, kind="school", org_name="城关中学")
    people = {
        "admin": UserFactory(role="admin"),
        "oa": UserFactory(role="organiser", organisation_id=a1["org_id"], display_name="王组织"),
        "ob": UserFactory(role="organiser", organisation_id=b1["org_id"]),
        "ta1": UserFactory(role="teacher", organisation_id=a1["org_id"], display_name="李老师"),
        "ta2": UserFactory(role="teacher", organisation_id=a1["org_id"]),
        "tb1": UserFactory(role="teacher", organisation_id=b1["org_id"]),
        "ts1": UserFactory(role="teacher", organisation_id=s1["org_id"]),
    }
    for group, teacher in ((a1, "ta1"), (a2, "ta2"), (b1, "tb1"), (s1, "ts1")):
        set_teacher(app, group["group_id"], people[teacher].id)
    return {"a1": a1, "a2": a2, "b1": b1, "s1": s1, **people}
