"""What the result page offers after a quiz: the certificate, the pledge, the family link."""

from __future__ import annotations

from dataclasses import dataclass

from app.groups.models import Certificate, FamilyLink, Pledge
from app.quiz.models import Attempt
from app.quiz.services import score_of
from app.records import certificates, family, pledges


@dataclass(frozen=True)
class WhatNext:
    passed: bool
    pass_mark: int
    certificate: Certificate | None
    pledge: Pledge | None
    can_invite: bool
    family_link: FamilyLink | None


def what_next(attempt: Attempt) -> WhatNext | None:
    """None until the attempt is finished."""
    if not attempt.finished:
        return None
    passed = score_of(attempt).passed
    invite = family.can_invite(attempt)
    return WhatNext(
        passed=passed,
        pass_mark=attempt.quiz.pass_mark,
        certificate=certificates.certificate_of(attempt) if passed else None,
        pledge=pledges.pledge_of(attempt),
        can_invite=invite,
        family_link=family.link_of(attempt.participant_id) if invite else None,
    )
