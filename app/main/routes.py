from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app.bank.taxonomy import AUDIENCES
from app.groups.codes import clean_join_code
from app.groups.errors import GroupNotFound, InvalidJoinCode
from app.groups.services import group_by_code
from app.main.care import care_mode, remember
from app.main.forms import CareForm, VoiceForm
from app.quiz.listen import VOICE_COOKIE
from app.quiz.services import active_quizzes
from app.security import safe_next
from app.tts.langs import LANGUAGES

bp = Blueprint("main", __name__)

TRACKS = [
    ("student", "学生", "主题班会上和同学一起答题，学会识破游戏交易、刷单、冒充老师等骗局。"),
    ("elder", "长辈", "字大、可以慢慢看，识破保健品会销、以房养老、冒充公检法等骗局。"),
    ("staff", "职工", "医院和机关职工的反诈必修培训，学会劝阻、上报，也教给家人。"),
]


@bp.get("/")
def home() -> str:
    return render_template("main/home.html", tracks=TRACKS)


@bp.get("/track/<audience>")
def track(audience: str) -> str:
    if audience not in AUDIENCES:
        abort(404)
    title = AUDIENCES[audience]
    return render_template("main/track.html", audience=audience, title=title, quizzes=active_quizzes(audience))


@bp.get("/join")
def join() -> Response | tuple[str, int]:
    raw = request.args.get("code", "")
    try:
        code = clean_join_code(raw)
    except InvalidJoinCode as exc:
        return _home_with_join_error(raw, exc.message, 422)
    if code is None:
        return _home_with_join_error(raw, "请输入老师或工作人员给你的班级码。", 422)
    try:
        group = group_by_code(code)
    except GroupNotFound:
        return _home_with_join_error(raw, f"没有找到班级码 {code}，请向老师或工作人员核对。", 404)
    return redirect(url_for("boards.group_page", join_code=group.join_code), code=303)


def _home_with_join_error(raw: str, message: str, status: int) -> tuple[str, int]:
    return render_template("main/home.html", tracks=TRACKS, join_error=message, join_code=raw[:20]), status


@bp.post("/voice")
def choose_voice() -> Response:
    form = VoiceForm()
    if not form.validate_on_submit() or form.lang.data not in LANGUAGES:
        abort(400)
    response = redirect(safe_next(form.next.data) or "/", code=303)
    response.set_cookie(VOICE_COOKIE, form.lang.data, max_age=current_app.config["CARE_COOKIE_MAX_AGE"],
                        httponly=True, samesite="Lax", secure=request.is_secure)
    return response


@bp.post("/care")
def toggle_care() -> Response:
    form = CareForm()
    if not form.validate_on_submit():
        abort(400)
    response = redirect(safe_next(form.next.data) or "/", code=303)
    return remember(response, not care_mode())
