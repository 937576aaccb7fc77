"""A teacher's own items, uploaded from the dashboard as Excel or GIFT, become a private quiz.

The file is read by the bank's own readers (the same checks as `flask bank check`), every id is
prefixed with `o<organisation id>-` so it can never meet the shared bank or another organisation's
items, and the result is imported with `import_bank(..., organisation_id=...)`: private rows that
the shared bank's import never touches. A file with problems writes nothing.
"""

from __future__ import annotations

import hashlib
import io
import logging
import tempfile
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.bank.errors import Problem
from app.bank.gift_format import parse_gift
from app.bank.importer import import_bank
from app.bank.limits import (
    MAX_QUESTIONS,
    MIN_QUESTIONS,
    PASS_MARK_DEFAULT,
    PASS_MARK_MAX,
    PASS_MARK_MIN,
    valid_count,
    valid_pass_mark,
)
from app.bank.loader import HIDDEN_MESSAGE, HIDDEN_RE, cross_check
from app.bank.models import Question as StoredQuestion
from app.bank.models import Quiz
from app.bank.safe_files import MAX_PARTS, MAX_UNPACKED_BYTES
from app.bank.schema import Bank, Question, QuizDef
from app.bank.taxonomy import AUDIENCES
from app.bank.xlsx_format import parse_xlsx
from app.database import utcnow
from app.errors import DomainError, NotFoundError
from app.extensions import db
from app.groups.models import Assignment, Group, Organisation

log = logging.getLogger("app.bank")

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
DEFAULT_COUNT = 20
TITLE_LIMIT = 100  # quizzes.title
QUIZ_ID_LIMIT = 64  # quizzes.id
Reader = Callable[[Path], tuple[list[Question], list[QuizDef], list[Problem]]]
READERS: dict[str, Reader] = {".xlsx": parse_xlsx, ".gift": parse_gift, ".txt": parse_gift}


class UploadRejected(DomainError):
    """The file cannot be used; `problems` lists every reason in plain Chinese. Nothing was written."""

    status = 422
    code = "upload_rejected"
    message = "文件有问题，没有导入。"

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"文件有 {len(problems)} 处问题，没有导入任何题目：" + "；".join(problems[:3]))


class UploadConflict(DomainError):
    status = 409
    code = "upload_conflict"
    message = "同一份文件正在由别人导入，请稍后刷新页面查看结果。"


@dataclass
class UploadReport:
    filename: str
    quizzes: list[tuple[str, str]] = field(default_factory=list)  # (id, title)
    added: int = 0
    changed: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        titles = "、".join(f"《{title}》" for _id, title in self.quizzes)
        return (f"已导入 {self.filename}：测验 {titles}；新增 {self.added} 道题，修改 {self.changed} 道"
                f"（旧版本保留给已有答题记录），未变 {self.unchanged} 道。")


@dataclass(frozen=True)
class UploadOptions:
    """What the teacher chose on the form; used only when the file defines no quiz of its own."""

    pass_mark: int = PASS_MARK_DEFAULT
    audience: str | None = None  # None: the audience most of the items are for
    count: int = DEFAULT_COUNT


def prefix_of(org: Organisation) -> str:
    return f"o{org.id}-"


def safe_filename(raw: object) -> str:
    """The file's own name (shown in every message), without folders or characters a path cannot hold."""
    name = PurePosixPath(str(raw or "").replace("\\", "/")).name
    name = "".join(ch for ch in unicodedata.normalize("NFC", name)
                   if not unicodedata.category(ch).startswith("C") and ch not in '<>:"|?*').strip()
    suffix = PurePosixPath(name).suffix.lower()
    stem = PurePosixPath(name).stem.strip(". ")[:60]
    return f"{stem or '上传的文件'}{suffix}"


def _clean_title(raw: str) -> str:
    title = " ".join(unicodedata.normalize("NFC", raw or "").split())
    return "".join(ch for ch in title if not unicodedata.category(ch).startswith("C"))


def _check_file(name: str, data: bytes) -> list[str]:
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".xls":
        return ["这是旧版 Excel 文件（.xls），请在 Excel 里“另存为” Excel 工作簿（.xlsx）后再上传。"]
    if suffix not in READERS:
        return [f"不支持“{suffix or '无扩展名'}”文件：请上传 Excel 工作簿（.xlsx），或 GIFT 文本文件（.gift 或 .txt）。"]
    if not data:
        return ["文件是空的，请选择填好题目的文件。"]
    if len(data) > MAX_UPLOAD_BYTES:
        return [f"文件太大（{len(data) / 1024 / 1024:.1f} MB），最多 {MAX_UPLOAD_BYTES // 1024 // 1024} MB；"
                "请把题目分成几个文件上传。"]
    if suffix == ".xlsx":
        return _check_xlsx(data)
    if b"\x00" in data:
        return ["文件里有无法识别的字符：GIFT 文件应当是用 UTF-8 保存的纯文本。"]
    return []


def _check_xlsx(data: bytes) -> list[str]:
    not_excel = "这个文件不是真正的 Excel 工作簿（.xlsx），请在 Excel 或 WPS 里“另存为” .xlsx 后再上传。"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return [not_excel]
    if "xl/workbook.xml" not in {e.filename for e in entries}:
        return [not_excel]
    if len(entries) > MAX_PARTS or sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:  # the reader's own caps
        return ["这个 Excel 文件解压后太大，请只保留题目和测验两张工作表再上传。"]
    return []


def _read(name: str, data: bytes) -> tuple[list[Question], list[QuizDef], list[Problem]]:
    """Parse with the bank's own readers, under the file's own name so every message names it."""
    reader = READERS[PurePosixPath(name).suffix.lower()]
    with tempfile.TemporaryDirectory(prefix="fzkt-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            questions, quizzes, problems = reader(path)
        except Exception:  # a damaged file must never become a 500: the readers cover the known faults
            log.warning("upload %s could not be parsed", name, exc_info=True)
            return [], [], [Problem(name, None, None, "无法读取这个文件，请用模板重新填写后再上传")]
    return questions, quizzes, problems + cross_check(questions, quizzes)


def _namespaced(questions: list[Question], quizzes: list[QuizDef], prefix: str,
                name: str) -> tuple[list[Question], list[QuizDef], list[Problem]]:
    items = [replace(q, item_id=prefix + q.item_id, case_id=prefix + q.case_id if q.case_id else None)
             for q in questions]
    known = {q.item_id for q in questions} | {q.case_id for q in questions if q.case_id}
    problems: list[Problem] = []
    specs = []
    for quiz in quizzes:
        if len(prefix + quiz.id) > QUIZ_ID_LIMIT:
            problems.append(Problem(name, quiz.id, "id", f"测验编号太长，最多 {QUIZ_ID_LIMIT - len(prefix)} 个字符"))
        missing = [ref for ref in quiz.items if ref not in known]
        if missing:
            problems.append(Problem(name, quiz.id, "items", f"题目编号 {'、'.join(missing)} 不在这个文件里"))
        specs.append(replace(quiz, id=prefix + quiz.id, items=tuple(prefix + ref for ref in quiz.items)))
    return items, specs, problems


def _audience(questions: list[Question], org: Organisation) -> str:
    votes = Counter(a for q in questions for a in q.audiences)
    preferred = org.words.audience  # items evenly split: the quiz is for the organisation's own people
    return max(AUDIENCES, key=lambda a: (votes[a], a == preferred))


def _own_quiz(questions: list[Question], org: Organisation, title: str, options: UploadOptions,
              name: str) -> QuizDef:
    """The one quiz an upload without a 测验 sheet makes: all its items, named by the teacher."""
    item_ids = tuple(q.item_id for q in questions)
    # The same items always make the same quiz, so uploading the file again changes nothing.
    digest = hashlib.sha256("\n".join(sorted(item_ids)).encode("utf-8")).hexdigest()[:10]
    title = title or _clean_title(PurePosixPath(name).stem)
    return QuizDef(
        id=f"{prefix_of(org)}q-{digest}", title=title[:TITLE_LIMIT], audience=options.audience or _audience(questions, org),
        count=min(len(questions), options.count), pass_mark=options.pass_mark,
        patterns=tuple(dict.fromkeys(q.pattern for q in questions)),
        description=f"本单位上传的题目（{name}）"[:500], items=item_ids,
    )


def import_upload(org: Organisation, filename: object, data: bytes, title: str = "",
                  options: UploadOptions | None = None) -> UploadReport:
    """Check the file, namespace its ids and import it as the organisation's own. Raises UploadRejected."""
    options = options or UploadOptions()
    if HIDDEN_RE.search(title or ""):
        raise UploadRejected([f"测验名称{HIDDEN_MESSAGE}。"])
    title = _clean_title(title)
    if not valid_pass_mark(options.pass_mark) or not valid_count(options.count):
        raise UploadRejected([f"及格线应在 {PASS_MARK_MIN} 到 {PASS_MARK_MAX} 之间，"
                              f"题数应在 {MIN_QUESTIONS} 到 {MAX_QUESTIONS} 之间。"])
    if options.audience is not None and options.audience not in AUDIENCES:
        raise UploadRejected(["对象只能是 学生、长辈 或 职工。"])
    if len(title) > TITLE_LIMIT:
        raise UploadRejected([f"测验名称最多 {TITLE_LIMIT} 个字。"])
    name = safe_filename(filename)
    faults = _check_file(name, data)
    if faults:
        raise UploadRejected(faults)
    questions, quizzes, problems = _read(name, data)
    if not problems and not questions:
        problems.append(Problem(name, None, None, "文件里没有找到题目（Excel 请填在“题目”工作表里）"))
    questions, quizzes, more = _namespaced(questions, quizzes, prefix_of(org), name)
    problems += more
    if problems:
        raise UploadRejected([str(p) for p in problems])
    if not quizzes:
        quizzes = [_own_quiz(questions, org, title, options, name)]
    try:
        imported = import_bank(Bank(tuple(questions), tuple(quizzes)), retire_missing=False, organisation_id=org.id)
    except IntegrityError:
        db.session.rollback()
        raise UploadConflict() from None
    return UploadReport(filename=name, quizzes=[(q.id, q.title) for q in quizzes], added=len(imported.added),
                        changed=len(imported.changed), unchanged=imported.unchanged)


# ---------------------------------------------------------------- the organisation's own quizzes


@dataclass(frozen=True)
class OwnQuiz:
    quiz: Quiz
    items: int  # current own items it draws (a quiz without an item list draws by audience instead)
    uploaded_at: datetime | None  # when its first item arrived
    groups: int  # groups that play it when nothing is assigned


def own_quizzes(org: Organisation) -> list[OwnQuiz]:
    """The organisation's uploaded quizzes, newest first, in three queries whatever their number."""
    quizzes = db.session.scalars(select(Quiz).where(Quiz.organisation_id == org.id)).all()
    rows = db.session.execute(
        select(StoredQuestion.item_id, StoredQuestion.case_id, StoredQuestion.current, StoredQuestion.created_at)
        .where(StoredQuestion.organisation_id == org.id)
    ).all()
    playing = dict(db.session.execute(
        select(Group.quiz_id, func.count()).where(Group.organisation_id == org.id).group_by(Group.quiz_id)
    ).tuples().all())
    found = []
    for quiz in quizzes:
        refs = set(quiz.item_ids)
        mine = [r for r in rows if r.item_id in refs or r.case_id in refs]
        first = min((r.created_at for r in mine), default=None)
        found.append(OwnQuiz(quiz, len({r.item_id for r in mine if r.current}), first, playing.get(quiz.id, 0)))
    oldest = datetime.min.replace(tzinfo=UTC)
    found.sort(key=lambda o: (o.quiz.active, o.uploaded_at or oldest, o.quiz.id), reverse=True)
    return found


class QuizInUse(DomainError):
    status = 409
    code = "quiz_in_use"


def own_quiz(org: Organisation, quiz_id: object) -> Quiz:
    quiz = db.session.get(Quiz, quiz_id) if isinstance(quiz_id, str) and len(quiz_id) <= QUIZ_ID_LIMIT else None
    if quiz is None or quiz.organisation_id != org.id:
        raise NotFoundError("没有找到这个测验，请回到列表选择。")
    return quiz


def retire_quiz(org: Organisation, quiz_id: object) -> Quiz:
    """Take an own quiz off the lists (its items and every answer stay). Uploading it again brings it back.

    A quiz that a group plays by default, or that an assignment still open or to come uses, stays:
    its learners would otherwise meet a missing quiz.
    """
    quiz = own_quiz(org, quiz_id)
    users = db.session.scalars(select(Group.name).where(Group.quiz_id == quiz.id).order_by(Group.name)).all()
    if users:
        raise QuizInUse(f"《{quiz.title}》还是{'、'.join(users[:5])}{'等' if len(users) > 5 else ''}的默认测验，"
                        f"请先在{org.words.group}设置里换成别的测验，再下架。")
    pending = db.session.scalar(
        select(func.count()).select_from(Assignment).where(Assignment.quiz_id == quiz.id, Assignment.closes_at > utcnow())
    )
    if pending:
        raise QuizInUse(f"《{quiz.title}》还有 {pending} 个没有结束的布置，等截止后再下架。")
    quiz.active = False
    db.session.commit()
    return quiz
