"""Live game pages: the PIN box, the phone (join, answer, follow), and the host's projector, remote,
new-game form and report. Thin views: one service call each; Post/Redirect/Get throughout, so every
page works without JavaScript (static/js/live.js only keeps a page current)."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from app.auth.access import current_user, login_required
from app.auth.models import User
from app.errors import DomainError, show_on_form
from app.extensions import db, limiter
from app.groups.qr import qr_svg
from app.live import answering, hosting, pages, players
from app.live.errors import AlreadyAnswered, NotAPlayer, QuestionClosed
from app.live.forms import ActionForm, AnswerForm, JoinForm, LockForm, NewGameForm, PlayerForm
from app.live.games import Settings, clean_pin, game_by_pin, game_for, open_game
from app.live.limits import answer_limit, game_key, host_limit, join_limit, player_key
from app.live.report import as_rows, game_report, report_xlsx
from app.quiz.errors import InvalidChoice
from app.quiz.listen import listener_lang
from app.quiz.players import my_participant_id, remember_player, this_participant
from app.timezones import local_text

bp = Blueprint("live", __name__)

NOTICES = {"version_moved": "刚才的操作没有执行：画面已经变了（可能另一台设备刚操作过），请看当前画面。",
           "not_allowed_now": "现在不能这样操作。"}


def _me() -> User:
    user = current_user()
    if user is None:  # login_required ran first
        raise NotAPlayer()
    return user


@bp.get("/live")
def enter() -> BaseResponse | str | tuple[str, int]:
    raw = request.args.get("pin")
    if raw is None:
        return render_template("live/enter.html", pin=None, error=None)
    pin = clean_pin(raw)
    if pin is None:
        return render_template("live/enter.html", pin=raw[:7], error="请输入老师投屏上的 6 位数字。"), 422
    return redirect(url_for("live.phone", pin=pin), code=303)


@bp.route("/live/<pin>", methods=["GET", "POST"])
@limiter.limit(join_limit, key_func=game_key, methods=["POST"])
def phone(pin: str) -> BaseResponse | str | tuple[str, int]:
    form = JoinForm()
    status = 200
    if form.validate_on_submit():
        try:
            joined = players.join(game_by_pin(pin), form.nickname.data, this_participant(), form.staff_no.data,
                                  form.staff_name.data)
        except DomainError as exc:
            db.session.rollback()
            if not show_on_form(form, exc, fallback="nickname"):
                raise
            status = 422
        else:
            remember_player(joined.attempt)
            return redirect(url_for("live.phone", pin=pin), code=303)
    page = pages.phone_page(pin, my_participant_id())
    html = render_template("live/phone.html", page=page, form=form, answer_form=AnswerForm(formdata=None))
    response = BaseResponse(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/live/<pin>/answer")
@limiter.limit(answer_limit, key_func=player_key)
def answer(pin: str) -> BaseResponse:
    form = AnswerForm()
    game = game_by_pin(pin)
    player = players.player_of(game.id, my_participant_id())
    if player is None:
        return redirect(url_for("live.phone", pin=pin), code=303)
    try:
        answering.answer(game.id, player, form.n.data, form.choices.data or [])
    except (AlreadyAnswered, QuestionClosed, InvalidChoice):
        db.session.rollback()  # the page shows what stands: the stored choice, the reveal, the next question
    return redirect(url_for("live.phone", pin=pin), code=303)


@bp.route("/live/host/new", methods=["GET", "POST"])
@login_required
def new() -> BaseResponse | str | tuple[str, int]:
    form = NewGameForm()
    group_id = request.args.get("group", type=int)
    error = None
    if form.validate_on_submit():
        page = pages.new_game_page(_me(), group_id)
        try:
            timer = int(form.timer.data) if (form.timer.data or "").isdigit() else None
            top_n = int(form.top_n.data) if (form.top_n.data or "").isdigit() else 3
            game = open_game(_me(), page.group, form.quiz.data,
                             Settings(form.scoring.data or "accuracy", timer, top_n, bool(form.ranking.data)))
        except DomainError as exc:
            db.session.rollback()
            error = exc.message
        else:
            return redirect(url_for("live.host", game_id=game.id), code=303)
    page = pages.new_game_page(_me(), group_id)
    return render_template("live/new.html", page=page, form=form, error=error), 422 if error else 200


@bp.get("/live/host/<int:game_id>")
@login_required
def host(game_id: int) -> str:
    page = pages.host_page(_me(), game_id, listener_lang())
    return render_template("live/projector.html", page=page, action_form=ActionForm(formdata=None),
                           listen=page.listen, notice=NOTICES.get(request.args.get("notice", "")),
                           join_host=request.host)


@bp.get("/live/host/<int:game_id>/remote")
@login_required
def remote(game_id: int) -> str:
    page = pages.host_page(_me(), game_id)
    return render_template("live/remote.html", page=page, action_form=ActionForm(formdata=None),
                           notice=NOTICES.get(request.args.get("notice", "")))


@bp.post("/live/host/<int:game_id>/act")
@login_required
@limiter.limit(host_limit, key_func=game_key)
def act(game_id: int) -> BaseResponse:
    form = ActionForm()
    game = game_for(_me(), game_id)
    target = "live.remote" if form.back.data == "remote" else "live.host"
    try:
        hosting.act(game.id, form.action.data, form.version.data)
    except DomainError as exc:
        db.session.rollback()
        if exc.status != 409:
            raise
        return redirect(url_for(target, game_id=game.id, notice=exc.code), code=303)
    return redirect(url_for(target, game_id=game.id), code=303)


@bp.post("/live/host/<int:game_id>/lock")
@login_required
def lock(game_id: int) -> BaseResponse:
    form = LockForm()
    hosting.set_locked(game_for(_me(), game_id), form.locked.data == "1")
    return redirect(url_for("live.host", game_id=game_id), code=303)


@bp.post("/live/host/<int:game_id>/players/<int:player_id>")
@login_required
def player(game_id: int, player_id: int) -> BaseResponse:
    form = PlayerForm()
    game = game_for(_me(), game_id)
    try:
        if form.remove.data == "1":
            hosting.remove_player(game, player_id)
        else:
            hosting.rename_player(game, player_id, form.nickname.data)
    except DomainError as exc:
        db.session.rollback()
        if exc.status not in (409, 422):
            raise
        return redirect(url_for("live.host", game_id=game_id, notice="not_allowed_now"), code=303)
    return redirect(url_for("live.host", game_id=game_id), code=303)


@bp.get("/live/host/<int:game_id>/qr.svg")
@login_required
def qr(game_id: int) -> Response:
    game = game_for(_me(), game_id)
    svg = qr_svg(url_for("live.phone", pin=game.pin or "", _external=True), title="扫码加入课堂竞答")
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})


@bp.get("/live/host/<int:game_id>/report")
@login_required
def report(game_id: int) -> str:
    found = game_report(_me(), game_id)
    return render_template("live/report.html", report=found, rows=as_rows(found),
                           local=lambda when: local_text(when, "%Y-%m-%d %H:%M"))


@bp.get("/live/host/<int:game_id>/report.xlsx")
@login_required
def report_xlsx_file(game_id: int) -> Response:
    found = game_report(_me(), game_id)
    disposition = "attachment; filename=\"live-report.xlsx\"; filename*=UTF-8''%E8%AF%BE%E5%A0%82%E7%AB%9E%E7%AD%94.xlsx"
    return Response(report_xlsx(found), headers={"Content-Disposition": disposition},
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
