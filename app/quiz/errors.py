"""Domain errors of quiz play. Each carries a slug, a Chinese message and an HTTP status."""

from __future__ import annotations


class QuizError(Exception):
    status = 400
    code = "bad_request"
    message = "请求有误，请返回重试。"

    def __init__(self, message: str | None = None):
        if message:
            self.message = message
        super().__init__(self.message)


class NotFound(QuizError):
    status = 404
    code = "not_found"
    message = "没有找到这份答题记录，请从首页重新开始。"


class QuizNotFound(NotFound):
    code = "quiz_not_found"
    message = "没有找到这个测验，请回到首页选择。"


class QuestionNotFound(NotFound):
    code = "question_not_found"
    message = "这份测验没有这道题。"


class NotYours(QuizError):
    status = 403
    code = "forbidden"
    message = "这不是你的答题记录。请在开始答题的那台手机上继续，或重新开始一次。"


class AlreadyAnswered(QuizError):
    status = 409
    code = "already_answered"
    message = "这道题已经答过了，按第一次的选择计分。"


class AttemptFinished(QuizError):
    status = 409
    code = "attempt_finished"
    message = "这次测验已经交卷，不能再改答案了。可以点“再来一次”重新练习。"


class StepLocked(QuizError):
    status = 409
    code = "step_locked"
    message = "这是情景题的下一步，请先回答上一步。"


class InvalidChoice(QuizError):
    status = 422
    code = "invalid_choice"
    message = "请先选择一个答案再提交。"


class InvalidNickname(QuizError):
    status = 422
    code = "invalid_nickname"


class InvalidJoinCode(QuizError):
    status = 422
    code = "invalid_join_code"
    message = "班级码由 4 到 12 位字母或数字组成，请核对后再输入；没有班级码可以不填。"
