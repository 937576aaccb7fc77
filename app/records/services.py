"""What the result page offers after a quiz: the certificate, the pledge, the family link."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.quiz.finishing import Score
from app.quiz.models import Attempt
from app.quiz.results import ResultSection
from app.records import certificates, family, pledges
from app.records.models import Certificate, FamilyLink, Pledge


@dataclass(frozen=True)
class WhatNext:
    passed: bool
    counted: bool  # False: kept out of the unit's record, so no certificate
    count_note: str | None
    pass_mark: int
    certificate: Certificate | None
    pledge: Pledge | None
    can_invite: bool
    family_link: FamilyLink | None


def what_next(attempt: Attempt, score: Score) -> WhatNext:
    """What a finished attempt's result page offers next."""
    invite = family.can_invite(attempt)
    counted = score.counted is not False
    return WhatNext(
        passed=score.passed,
        counted=counted,
        count_note=score.count_note,
        pass_mark=attempt.quiz.pass_mark,
        certificate=certificates.certificate_of(attempt) if score.passed and counted else None,
        pledge=pledges.pledge_of(attempt),
        can_invite=invite,
        family_link=family.link_of(attempt.participant_id) if invite else None,
    )


def result_section(_app: Any, attempt: Attempt, score: Score, **_extra: Any) -> ResultSection:
    """`result_shown` listener: the certificate, pledge and family link below a result."""
    return ResultSection("records/_what_next.html", {"after": what_next(attempt, score)})
