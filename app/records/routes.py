"""Certificate, pledge and family pages: thin views over app.records' services, Post/Redirect/Get."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, redirect, render_template, session, url_for
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from app.extensions import db, limiter
from app.groups.qr import qr_svg
from app.quiz.errors import InvalidNickname
from app.quiz.finishing import score_of
from app.quiz.forms import EmptyForm
from app.quiz.listen import listener_lang
from app.quiz.models import Attempt
from app.quiz.players import my_attempt, remember_player, this_participant
from app.ratelimit.keys import learner_key, start_limit
from app.records import certificates, family, pledges
from app.records.errors import InvalidSignature, InvalidSigner, NotCounted, NotPassed
from app.records.forms import FamilyStartForm, PledgeForm
from app.records.models import Pledge
from app.records.pledge_text import CLOSING, INTRO, POINTS, TITLE, speech_texts
from app.records.signature import HEIGHT, WIDTH
from app.timezones import to_local
from app.tts.service import audio_url

bp = Blueprint("records", __name__)


@bp.app_template_filter("local_date")
def _local_date(when: datetime) -> str:
    local = to_local(when)
    return f"{local.year}年{local.month}月{local.day}日"


@bp.app_template_filter("local_time")
def _local_time(when: datetime) -> str:
    local = to_local(when)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def qr_markup(url: str, label: str) -> Markup:
    """segno's SVG (our own output, no user markup; scalable: it has a viewBox) given an accessible name."""
    svg = qr_svg(url).decode("utf-8").replace("<svg ", f'<svg class="qr" role="img" aria-label="{escape(label)}" ', 1)
    return Markup(svg)  # noqa: S704 - segno's own SVG; the only text put in is escaped


# -- certificates ------------------------------------------------------------------------------


@bp.post("/a/<attempt_id>/certificate")
def issue_certificate(attempt_id: str) -> Response | tuple[str, int]:
    attempt = my_attempt(attempt_id)
    try:
        certificate = certificates.issue(attempt)
    except (NotPassed, NotCounted) as exc:
        db.session.rollback()
        return render_template("records/not_passed.html", attempt=attempt, score=score_of(attempt),
                               message=exc.message, form=EmptyForm()), 422
    return redirect(url_for("records.certificate", code=certificate.code), code=303)


@bp.get("/certificates/<code>")
def certificate(code: str) -> str:
    found = certificates.by_code(code)
    verify_url = url_for("records.verify", code=found.code, _external=True)
    return render_template("records/certificate.html", cert=found, code=certificates.display_code(found.code),
                           verify_url=verify_url, qr=qr_markup(verify_url, "证书验证二维码"))


@bp.get("/v/<code>")
def verify(code: str) -> str:
    found = certificates.by_code(code)
    return render_template("records/verify.html", cert=found, code=certificates.display_code(found.code))


# -- the pledge --------------------------------------------------------------------------------


def _pledge_page(attempt: Attempt, form: PledgeForm, pledge: Pledge | None = None, error: str | None = None) -> str:
    school = pledges.is_school(attempt)
    form.signer.label.text = "签名：写昵称即可，不要写真实姓名" if school else "签名：写下你的名字"
    lang = listener_lang()
    segments = [{"src": audio_url(text, lang), "text": text} for text in speech_texts()]
    return render_template(
        "records/pledge.html", attempt=attempt, form=form, pledge=pledge, error=error, school=school,
        title=TITLE, intro=INTRO, points=POINTS, closing=CLOSING, width=WIDTH, height=HEIGHT,
        listen_segments=segments,
    )


@bp.get("/a/<attempt_id>/pledge")
def pledge(attempt_id: str) -> Response | str:
    attempt = my_attempt(attempt_id)
    if not attempt.finished:
        return redirect(url_for("quiz.result", attempt_id=attempt.id), code=303)
    return _pledge_page(attempt, PledgeForm(formdata=None), pledges.pledge_of(attempt))


@bp.post("/a/<attempt_id>/pledge")
def sign_pledge(attempt_id: str) -> Response | tuple[str, int]:
    attempt = my_attempt(attempt_id)
    form = PledgeForm()  # CSRF is checked for every POST by the global CSRFProtect
    try:
        pledges.sign(attempt, form.signer.data, form.signature.data)
    except (InvalidNickname, InvalidSigner) as exc:
        db.session.rollback()
        form.signer.errors = [exc.message]
        return _pledge_page(attempt, form), 422
    except InvalidSignature as exc:
        db.session.rollback()
        form.signature.data = ""
        return _pledge_page(attempt, form, error=exc.message), 422
    return redirect(url_for("records.pledge", attempt_id=attempt.id), code=303)


# -- 一个学生带动一个家庭 ------------------------------------------------------------------------


@bp.post("/a/<attempt_id>/family")
def create_family_link(attempt_id: str) -> Response:
    link = family.create_link(my_attempt(attempt_id))
    return redirect(url_for("records.family_page", token=link.token), code=303)


@bp.route("/f/<token>", methods=["GET", "POST"])
@limiter.limit(start_limit, key_func=learner_key, methods=["POST"])
def family_page(token: str) -> Response | tuple[str, int] | str:
    link = family.by_token(token)
    form = FamilyStartForm()
    status = 200
    if form.validate_on_submit():
        try:
            started = family.start(link, form.nickname.data, this_participant())
        except InvalidNickname as exc:
            db.session.rollback()
            form.nickname.errors = [exc.message]
            status = 422
        else:
            remember_player(started.attempt)
            return redirect(url_for("quiz.question", attempt_id=started.attempt.id, n=1), code=303)
    share_url = url_for("records.family_page", token=link.token, _external=True)
    return render_template("records/family.html", link=link, form=form, quiz=family.family_quiz(),
                           owner=session.get("pid") == link.participant_id, share_url=share_url,
                           qr=qr_markup(share_url, "家庭链接二维码")), status

