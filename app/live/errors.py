"""Domain errors of the live game: a slug, an HTTP status and a Chinese message a person can act on."""

from __future__ import annotations

from app.errors import ConflictError, DomainError, NotFoundError


class GameNotFound(NotFoundError):
    code = "game_not_found"
    message = "没有找到这场课堂竞答：请核对老师投屏上的 6 位数字，本场结束后这个数字就不能再用了。"
    field = "pin"


class GameOver(ConflictError):
    code = "game_over"
    message = "这场课堂竞答已经结束，不能再加入或答题了。"


class LobbyLocked(ConflictError):
    code = "lobby_locked"
    message = "老师已经锁定了本场，暂时不能加入。请举手告诉老师。"


class GameFull(ConflictError):
    code = "game_full"
    message = "本场人数已满。请举手告诉老师。"


class Removed(DomainError):
    status = 403
    code = "removed"
    message = "你已被老师移出本场课堂竞答。"


class NotAPlayer(DomainError):
    status = 401
    code = "not_a_player"
    message = "你还没有加入这场课堂竞答，请先输入昵称加入。"


class StaleVersion(ConflictError):
    """A host action made on a state that has moved on (a double click, the remote and the projector
    at once): nothing changed."""

    code = "version_moved"
    message = "课堂已经进入下一步（可能是另一台设备刚刚操作过），请看当前画面再操作。"


class NotAllowedNow(ConflictError):
    code = "not_allowed_now"
    message = "现在不能这样操作。"


class QuestionClosed(ConflictError):
    code = "question_closed"
    message = "这道题已经停止作答（老师已揭晓答案或换到了别的题）。"


class AlreadyAnswered(ConflictError):
    code = "already_answered"
    message = "这道题已经提交过了，按第一次的选择计分。"

    def __init__(self, choices: list[str], message: str | None = None) -> None:
        super().__init__(message)
        self.choices = choices  # the stored choice, as this game's option letters


class BadSettings(DomainError):
    status = 422
    code = "invalid_settings"
    message = "设置有误，请检查后再试。"


class NoQuestions(DomainError):
    status = 422
    code = "no_questions"
    message = "这个测验暂时没有题目，请换一个测验。"
    field = "quiz"
