"""Domain errors of groups and accounts (app.errors.DomainError)."""

from __future__ import annotations

from app.errors import DomainError


class GroupError(DomainError):
    status = 422
    code = "invalid_group"


class GroupNotFound(DomainError):
    status = 404
    code = "group_not_found"
    message = "没有找到这个班级码，请向老师或工作人员核对。"


class OrganisationNotFound(DomainError):
    status = 404
    code = "organisation_not_found"
    message = "没有找到这个单位。"


class RosterMismatch(DomainError):
    status = 422
    code = "roster_mismatch"
    field = "staff_no"
    message = "名单里没有找到这个工号和姓名，请核对后再输入，或联系本单位负责人。"


class InvalidJoinCode(DomainError):
    status = 422
    code = "invalid_join_code"
    message = "班级码由 4 到 12 位字母或数字组成，请核对后再输入；没有班级码可以不填。"
    field = "join_code"
