"""Domain errors of groups and accounts (same shape as the quiz errors: slug, Chinese message, status)."""

from __future__ import annotations

from app.quiz.errors import QuizError


class GroupError(QuizError):
    status = 422
    code = "invalid_group"


class GroupNotFound(QuizError):
    status = 404
    code = "group_not_found"
    message = "没有找到这个班级码，请向老师或工作人员核对。"


class OrganisationNotFound(QuizError):
    status = 404
    code = "organisation_not_found"
    message = "没有找到这个单位。"


class RosterMismatch(QuizError):
    status = 422
    code = "roster_mismatch"
    message = "名单里没有找到这个工号和姓名，请核对后再输入，或联系本单位负责人。"
