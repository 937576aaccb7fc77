"""Hostile files are refused in time, with one plain sentence, by every reader and every path that
reads them: the quiz reader (`bank check/import/stats`, the dashboard's quiz upload) and the roster
reader (the dashboard's roster upload). Each file is built here, small, and each refusal is timed:
the bound is generous (this is a behaviour check, not a benchmark) but far below what the same
files cost before the caps (30 s to minutes)."""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from app.bank import safe_files
from app.bank.gift_format import parse_gift
from app.bank.loader import parse_file
from app.bank.safe_files import FileRefused
from app.bank.xlsx_format import ITEM_COLUMNS, parse_xlsx
from app.bank.xlsx_reader import read_xlsx
from app.dashboard.roster_import import RosterFileError, parse_roster

SECONDS = 2.0  # "well under a second or two" of this process's CPU time (a busy machine does not count): each refusal takes 0.0-0.4 s
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def workbook_xml(title: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><workbook {MAIN} '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>')


def sheet_xml(rows: str, before: str = "", prolog: str = "") -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet {MAIN}>{before}<sheetData>{rows}</sheetData></worksheet>'.encode()


def text_cell(text: str, ref: str = "") -> str:
    where = f' r="{ref}"' if ref else ""
    return f'<c{where} t="inlineStr"><is><t>{text}</t></is></c>'


def header_row(headers: list[str]) -> str:
    return '<row r="1">' + "".join(text_cell(h) for h in headers) + "</row>"


def build(sheet: bytes, title: str = "题目", extra: dict[str, bytes] | None = None,
          method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A minimal .xlsx (the parts Excel needs to open it) with this sheet, zipped in memory."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", workbook_xml(title))
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet, compress_type=method)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def lying_sizes(data: bytes, part: str, declared: int) -> bytes:
    """The same zip with `part`'s uncompressed size declared as `declared` in both of its headers."""
    raw = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(part)
    struct.pack_into("<I", raw, info.header_offset + 22, declared)  # local file header
    name = part.encode()
    at = raw.find(b"PK\x01\x02")
    while raw[at + 46: at + 46 + len(name)] != name:
        at = raw.find(b"PK\x01\x02", at + 4)
    struct.pack_into("<I", raw, at + 24, declared)  # its central directory entry
    return bytes(raw)


ITEM_HEADERS = [h for h, _ in ITEM_COLUMNS]
FAR_CELL = build(sheet_xml(header_row(ITEM_HEADERS) + '<row r="1048576">' + text_cell("x", "XFD1048576") + "</row>",
                           before='<dimension ref="A1:XFD1048576"/>'))
LAUGHS = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))
ZEROS = 24 * 1024 * 1024  # more than MAX_UNPACKED_BYTES, about 24 KB once deflated
BIG_SHEET = sheet_xml("<row><c><v>1</v></c></row>" + " " * ZEROS)


def _hostile() -> dict[str, tuple[bytes, str]]:
    cells = "".join(f'<row r="{r}">' + "<c><v>1</v></c>" * 50 + "</row>" for r in range(1, 3002))
    return {
        # 5 KB; declares A1:XFD1048576 and fills its last cell: a worker hung 30 s on it
        "far cell": (FAR_CELL, "行数太多"),
        # a small file whose sheet unpacks to 24 MB, as its headers say
        "zip bomb": (build(BIG_SHEET), "解压后太大"),
        # the same, but its headers claim 2 KB: what comes out is counted, not what is declared
        "zip bomb that lies": (lying_sizes(build(BIG_SHEET), "xl/worksheets/sheet1.xml", 2048), "无法读取这个文件"),
        "unclosed token": (build(sheet_xml("")[:-20]), "无法读取这个文件"),
        "billion laughs": (build(sheet_xml(f'<row r="1">{text_cell("&l9;")}</row>', prolog=f"<!DOCTYPE worksheet [{LAUGHS}]>")), "DTD"),
        "external entity": (build(sheet_xml(f'<row r="1">{text_cell("&e;")}</row>',
                                            prolog='<!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]>')), "DTD"),
        "too many cells": (build(sheet_xml(cells)), "单元格太多"),
        "too many elements": (build(sheet_xml('<row r="1">' + "<c/>" * 450_000 + "</row>")), "内容太多"),
        "too many parts": (build(sheet_xml(""), extra={f"xl/media/p{n}.bin": b"x" for n in range(301)}), "部件太多"),
        "bzip2 part": (build(sheet_xml(""), method=zipfile.ZIP_BZIP2), "无法读取这个文件"),
        "not a zip": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096, "无法读取这个文件"),  # an encrypted (OLE) workbook
        "bad shared string index": (build(sheet_xml('<row r="1"><c t="s"><v>7</v></c></row>')), "无法读取这个文件"),
    }


HOSTILE = _hostile()


@contextmanager
def quick() -> Iterator[None]:
    start = time.process_time()
    yield
    elapsed = time.process_time() - start
    assert elapsed < SECONDS, f"took {elapsed:.2f} s"


# ---------------------------------------------------------------- the readers


@pytest.mark.parametrize(("data", "words"), HOSTILE.values(), ids=HOSTILE.keys())
def test_the_shared_reader_refuses_in_time(data, words):
    with quick(), pytest.raises(FileRefused) as caught:
        read_xlsx(data)
    assert words in caught.value.message and "\n" not in caught.value.message


@pytest.mark.parametrize(("data", "words"), HOSTILE.values(), ids=HOSTILE.keys())
def test_the_quiz_reader_refuses_in_time(tmp_path, data, words):
    path = tmp_path / "题目.xlsx"
    path.write_bytes(data)
    with quick():
        questions, quizzes, problems = parse_xlsx(path)
    assert questions == [] and quizzes == []
    assert len(problems) == 1 and words in problems[0].message, problems
    assert str(problems[0]).startswith("文件 题目.xlsx：")


@pytest.mark.parametrize(("data", "words"), HOSTILE.values(), ids=HOSTILE.keys())
def test_the_roster_reader_refuses_in_time(data, words):
    with quick(), pytest.raises(RosterFileError) as caught:  # the roster reads the first sheet, whatever its name
        parse_roster(data)
    assert len(caught.value.problems) == 1 and words in caught.value.problems[0]


def test_caps_do_not_refuse_a_real_workbook(tmp_path):
    """The shipped bank as Excel (the largest real workbook we have) reads well inside the caps."""
    from app.bank.loader import read_bank
    from app.bank.xlsx_format import write_xlsx

    bank, problems = read_bank(Path(__file__).resolve().parents[2] / "question_bank")
    path = write_xlsx(bank, tmp_path / "bank.xlsx")
    with quick():
        questions, _quizzes, found = parse_xlsx(path)
    assert found == [] and len(questions) == len(bank.questions)


def test_a_file_past_the_size_cap_is_not_read(tmp_path):
    path = tmp_path / "大.xlsx"
    with path.open("wb") as handle:
        handle.truncate(safe_files.MAX_FILE_BYTES + 1)
    for name in ("大.xlsx", "大.gift", "大.yaml"):
        target = path.rename(tmp_path / name)
        with quick():
            _q, _z, problems = parse_file(target)
        assert len(problems) == 1 and "文件太大" in problems[0].message
        path = target


# ---------------------------------------------------------------- GIFT and YAML


def test_gift_of_419_000_one_line_questions_is_linear(tmp_path):
    """2 MB of `a{T}` lines: line numbers were counted from the start of the file for every question."""
    path = tmp_path / "many.gift"
    path.write_text("a{T}\n" * 419_000, encoding="utf-8")
    with quick():
        questions, _quizzes, problems = parse_gift(path)
    assert questions == [] and problems


def test_gift_with_more_questions_than_the_cap_stops_reading(tmp_path):
    path = tmp_path / "many.gift"
    path.write_text("::q::a{T}\n\n" * 190_000, encoding="utf-8")  # 2 MB
    with quick():
        questions, _quizzes, problems = parse_gift(path)
    assert questions == [] and [p.message for p in problems] == [safe_files.too_many_questions().message]


@pytest.mark.parametrize(("text", "words"), [
    ("::a::q{" + "~a" * 500_000 + "}\n", "有 500000 个选项，最多 6 个"),  # 1 MB of answers: counted, not read
    ("::a::[html]" + "<" * 1_000_000 + "{T}\n", ""),  # a tag that never closes, a million times
    ("::a::[html]" + "<p>" * 400_000 + "{T}\n", ""),  # paragraphs that never close
])
def test_gift_questions_built_to_be_slow_are_read_in_time(tmp_path, text, words):
    path = tmp_path / "slow.gift"
    path.write_text(text, encoding="utf-8")
    with quick():
        _questions, _quizzes, problems = parse_gift(path)
    assert problems and words in " ".join(p.message for p in problems)


def test_yaml_past_the_caps_is_refused(tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("items: " + "[" * 100_000 + "]" * 100_000, encoding="utf-8")  # libyaml's loader would crash
    many = tmp_path / "many.yaml"
    many.write_text("items:\n" + "- {id: a}\n" * (safe_files.MAX_FILE_QUESTIONS + 1), encoding="utf-8")
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * safe_files.MAX_YAML_BYTES, encoding="utf-8")
    for path, words in ((deep, "嵌套太深"), (many, "最多 2000 道题"), (big, "文件太大")):
        with quick():
            questions, _quizzes, problems = parse_file(path)
        assert questions == [] and len(problems) == 1 and words in problems[0].message, problems


def test_excel_with_more_questions_than_the_cap(tmp_path):
    rows = "".join(f'<row r="{r}">{text_cell(f"q{r}")}</row>' for r in range(2, safe_files.MAX_FILE_QUESTIONS + 3))
    path = tmp_path / "many.xlsx"
    path.write_bytes(build(sheet_xml(header_row(ITEM_HEADERS) + rows)))
    with quick():
        questions, _quizzes, problems = parse_xlsx(path)
    assert questions == [] and [p.message for p in problems] == [
        safe_files.too_many_questions(safe_files.MAX_FILE_QUESTIONS + 1).message]


# ---------------------------------------------------------------- the command line


CLI_CASES = {name: HOSTILE[name] for name in ("far cell", "zip bomb", "unclosed token", "billion laughs", "too many cells")}


@pytest.mark.parametrize("command", [["check"], ["import"], ["stats", "--json"]])
@pytest.mark.parametrize(("data", "words"), CLI_CASES.values(), ids=CLI_CASES.keys())
def test_bank_commands_refuse_in_one_line_and_exit_1(app, runner, tmp_path, command, data, words):
    from app.bank.models import Question
    from app.extensions import db

    path = tmp_path / "本周案例.xlsx"
    path.write_bytes(data)
    with app.app_context():
        before = len(db.session.scalars(select(Question.id)).all())
    with quick():
        result = runner.invoke(args=["bank", *command, str(path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    lines = result.output.splitlines()
    assert lines[0].startswith("文件 本周案例.xlsx：") and words in lines[0]
    assert "Traceback" not in result.output and ".py" not in result.output
    with app.app_context():
        assert len(db.session.scalars(select(Question.id)).all()) == before  # nothing written


def test_bank_check_refuses_the_gift_of_many_questions(runner, tmp_path):
    path = tmp_path / "many.gift"
    path.write_text("a{T}\n" * 419_000, encoding="utf-8")
    with quick():
        result = runner.invoke(args=["bank", "check", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output


# ---------------------------------------------------------------- pieces


def test_deflate_bombs_are_small():
    """The zip bombs above really are small files that unpack large (the point of the test)."""
    assert len(HOSTILE["zip bomb"][0]) < 64 * 1024 and len(FAR_CELL) < 8 * 1024
    assert len(zlib.compress(b" " * ZEROS, 9)) < 64 * 1024
