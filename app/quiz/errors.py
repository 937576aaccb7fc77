"""Domain errors of quiz play. Each carries a slug, a Chinese message and an HTTP status."""

from __future__ import annotations

from app.errors import DomainError


class NotFound(DomainError):
    status = 404
    code = "not_found"
    message = "没有找到这份答题记录，请从首页重新开始。"


class QuizNotFound(NotFound):
    code = "quiz_not_found"
    message = "没有找到这个测验，请回到首页选择。"


class QuestionNotFound(NotFound):
    code = "question_not_found"
    message = "这份测验没有这道题。"


class NotYours(DomainError):
    status = 403
    code = "forbidden"
    message = "这不是你的答题记录。请在开始答题的那台手机上继续，或重新开始一次。"


class AlreadyAnswered(DomainError):
    status = 409
    code = "already_answered"
    message = "这道题已经答过了，按第一次的选择计分。"


class AttemptFinished(DomainError):
    status = 409
    code = "attempt_finished"
    message = "这次测验已经交卷，不能再改答案了。可以点“再来一次”重新练习。"


class StepLocked(DomainError):
    status = 409
    code = "step_locked"
    message = "这是情景题的下一步，请先回答上一步。"


class InvalidChoice(DomainError):
    status = 422
    code = "invalid_choice"
    message = "请先选择一个答案再提交。"


class InvalidNickname(DomainError):
    status = 422
    code = "invalid_nickname"
    field = "nickname"


class QuizNeedsGroupCode(QuizNotFound):
    message = "这份测验是单位自己出的题，只能用本单位班级的班级码参加，请向老师或工作人员要班级码。"
    field = "join_code"


class JoinCodesUnavailable(DomainError):
    status = 422
    code = "invalid_join_code"
    message = "这里暂时不能用班级码答题，请不填班级码直接开始。"
    field = "join_code"
