"""JSON API v1 of the live game (see ../shared/contract.md, "Live game"): join by PIN, the versioned
snapshot (ETag, 304, wait for a newer version), the same snapshots as Server-Sent Events, a player's
own status and answer, and host actions as compare-and-set on the version. Thin views over app.live."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, request, stream_with_context
from flask_wtf.csrf import CSRFError

from app.api import bp
from app.auth.access import current_user
from app.errors import DomainError
from app.extensions import csrf, db, limiter
from app.live import answering, hosting, players
from app.live.errors import AlreadyAnswered, NotAPlayer
from app.live.games import game_by_pin, game_for
from app.live.limits import answer_limit, game_key, host_limit, join_limit, player_key
from app.live.snapshot import snapshot, version_of_pin, wait_newer
from app.live.status import status_of
from app.live.stream import events
from app.quiz.participants import new_participant, participant_by_key

WAIT_MAX = 25  # seconds a long poll may be held at most


class LiveBadBody(DomainError):
    status = 400
    code = "invalid_body"
    message = "请求体应当是一个 JSON 对象。"


class LiveNotJson(DomainError):
    status = 415
    code = "unsupported_media_type"
    message = "请求体应当是 JSON：请加上请求头 Content-Type: application/json。"


class SignInNeeded(DomainError):
    status = 401
    code = "unauthorized"
    message = "请先以老师身份登录，并在请求头里带上 X-CSRFToken（页面 meta csrf-token 的值）。"


def _body() -> dict[str, Any]:
    if not request.is_json:
        raise LiveNotJson()
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        raise LiveBadBody("请求体嵌套太深，应当是一个简单的 JSON 对象。") from None
    if not isinstance(data, dict):
        raise LiveBadBody()
    return data


def _text(data: dict[str, Any], key: str, limit: int) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit or "\x00" in value:
        raise LiveBadBody(f"{key} 应当是不超过 {limit} 个字符的文字。")
    return value


def _bearer() -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        raise NotAPlayer("缺少玩家凭证：请在请求头里带上 Authorization: Bearer <token>（加入时返回的 token）。")
    return token


def _versioned(body: dict[str, Any]) -> Response:
    response = jsonify(body)
    response.set_etag(str(body["version"]))
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.post("/v1/live/<pin>/players")
@limiter.limit(join_limit, key_func=game_key)
def live_join(pin: str) -> tuple[Response, int]:
    game = game_by_pin(pin)
    data = _body()
    participant = participant_by_key(_text(data, "participant_token", 100))
    participant_token = None
    if participant is None:
        participant, participant_token = new_participant()
    joined = players.join(game, data.get("nickname"), participant, _text(data, "staff_no", 32),
                          _text(data, "staff_name", 40), new_token=True)
    body: dict[str, Any] = {"player_id": joined.player.id, "token": joined.token, "attempt_id": joined.attempt.id,
                            "nickname": joined.attempt.nickname, "rejoined": joined.rejoined,
                            "version": version_of_pin(pin)[1]}
    if participant_token:
        body["participant_token"] = participant_token
    db.session.rollback()
    return jsonify(body), 200 if joined.rejoined else 201


@bp.get("/v1/live/<pin>")
def live_state(pin: str) -> Response:
    game_id, version = version_of_pin(pin)
    since = request.args.get("since", type=int)
    if since is not None:
        asked = request.args.get("wait", default=20.0, type=float)
        wait = min(asked if asked == asked else 0.0, float(current_app.config.get("LIVE_WAIT_SECONDS", WAIT_MAX)),
                   WAIT_MAX)  # NaN (asked != asked) waits not at all
        game_id, version = wait_newer(pin, since, max(wait, 0)) if version <= since else (game_id, version)
    if request.if_none_match.contains(str(version)):
        response = Response(status=304)
        response.set_etag(str(version))
        return response
    return _versioned(snapshot(game_id, version))


@bp.get("/v1/live/<pin>/events")
def live_events(pin: str) -> Response:
    version_of_pin(pin)  # an unknown PIN is a JSON 404, before the stream starts
    last = request.headers.get("Last-Event-ID", type=int)
    response = Response(stream_with_context(events(pin, last)), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


@bp.get("/v1/live/<pin>/me")
def live_me(pin: str) -> Response:
    game = game_by_pin(pin)
    player = players.player_by_token(game.id, _bearer())
    return jsonify(status_of(game, player).as_json())


@bp.post("/v1/live/<pin>/answer")
@limiter.limit(answer_limit, key_func=player_key)
def live_answer(pin: str) -> Response | tuple[Response, int]:
    game = game_by_pin(pin)
    player = players.player_by_token(game.id, _bearer())
    data = _body()
    try:
        recorded = answering.answer(game.id, player, data.get("n"), data.get("choices"))
    except AlreadyAnswered as exc:
        return jsonify(error={"code": exc.code, "message": exc.message}, n=data.get("n"), choices=exc.choices), 409
    return jsonify(n=recorded.n, choices=recorded.choices, version=version_of_pin(pin)[1])


@bp.post("/v1/live/games/<int:game_id>/actions")
@limiter.limit(host_limit, key_func=game_key)
def live_action(game_id: int) -> Response:
    user = current_user()
    if user is None:
        raise SignInNeeded()
    try:
        csrf.protect()  # the API is cookie-less otherwise: a host's cookie needs the page's token too
    except CSRFError:
        raise SignInNeeded("缺少或错误的 X-CSRFToken 请求头。") from None
    game = game_for(user, game_id)
    data = _body()
    moved = hosting.act(game.id, data.get("action"), data.get("version"))
    return jsonify(state=moved.state, n=moved.position or None, paused=moved.paused, version=moved.version)
