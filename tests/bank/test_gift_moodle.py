"""Moodle's GIFT, faithfully: the constructs of Moodle's own fixtures (in English and in Chinese) are read
as Moodle means them or refused by type, with their line, on the command line and on the dashboard;
text formats become plain text; our own export survives a round trip unchanged."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from app.bank.gift_format import parse_gift, write_gift
from app.bank.gift_moodle import blocks, read_question
from app.bank.schema import Bank, Option
from app.bank.xlsx_format import template_bank

FIXTURES = Path(__file__).parent / "fixtures"
ENGLISH = FIXTURES / "moodle_constructs.txt"
CHINESE = FIXTURES / "moodle_constructs_zh.txt"
REEXPORT = FIXTURES / "moodle_reexport_zh.txt"

# (line, name, the type's name in the message) of every construct 反诈课堂 cannot play
REFUSED_EN = [(5, "Essay one", "问答题（essay）"), (8, "Matching one", "匹配题（matching）"),
              (34, "Number one", "数值题（numerical）"), (37, "Short one", "简答题（short answer）"),
              (54, "Note one", "说明文字（description）"), (57, "Missing one", "填空题（missing word")]
REFUSED_ZH = [(6, "gjf-essay", "问答题（essay）"), (9, "gjf-match", "匹配题（matching）"),
              (35, "gjf-number", "数值题（numerical）"), (38, "gjf-short", "简答题（short answer）"),
              (53, "gjf-note", "说明文字（description）"), (56, "gjf-missing", "填空题（missing word")]
PLAYABLE_ZH = ["gjf-safe-account", "gjf-signs", "gjf-judge", "gjf-hang-up", "gjf-partial", "gjf-hash", "gjf-html"]


def _read(path: Path) -> dict[str, object]:
    """Every block of the file as Moodle reads it, by name."""
    found = {}
    for block in blocks(path.read_text(encoding="utf-8")):
        if block.lines and not block.lines[0].startswith("$CATEGORY:"):
            question = read_question(block)
            found[question.name] = question
    return found


def _type_problems(problems) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.item_id, p.message) for p in problems if "反诈课堂只能播放" in p.message or "不是一道题" in p.message]


# ---------------------------------------------------------------- types, as Moodle tells them


@pytest.mark.parametrize(("path", "refused"), [(ENGLISH, REFUSED_EN), (CHINESE, REFUSED_ZH)], ids=["english", "chinese"])
def test_every_unsupported_type_is_refused_by_name_with_its_line(path, refused):
    _questions, _quizzes, problems = parse_gift(path)
    found = _type_problems(problems)
    assert [(line, name) for line, name, _message in found] == [(line, name) for line, name, _type in refused]
    for (_line, _name, message), (_l, _n, type_name) in zip(found, refused, strict=True):
        assert type_name in message
    assert all(str(p).startswith(f"文件 {path.name}，第 ") for p in problems if p.row)


def test_nothing_is_merged_into_the_next_question():
    read = _read(ENGLISH)
    assert len(read) == 15
    assert read["Note one"].qtype == "description"
    assert "next questions" not in read["Missing one"].text
    assert read["Missing one"].text == "When a caller asks for money you"


def test_playable_constructs_are_read_as_moodle_means_them():
    read = _read(ENGLISH)
    choice = read["Choice one"]
    assert choice.qtype == "multichoice" and choice.single
    assert [(c.text, c.fraction) for c in choice.choices] == [("hang up", 1), ("transfer", 0), ("tell the code", 0)]
    response = read["Response one"]
    assert not response.single and [c.fraction for c in response.choices] == [0.5, -1, 0.5, -1]
    assert response.choices[3].text == "a letter by post"  # [plain] removed
    judge = read["Judge one"]
    assert judge.qtype == "truefalse" and judge.truth is False
    assert judge.feedback == "No police force asks you to move money by phone."
    assert read["Judge two"].truth is True and read["Judge three"].truth is True
    partial = read["Partial one"]
    assert partial.single and [c.fraction for c in partial.choices] == [0, 0.5, 1]


def test_escaped_control_characters_are_kept_and_a_real_hash_still_starts_feedback():
    control = _read(ENGLISH)["Control one"]
    assert [c.text for c in control.choices] == ["~", "=", "#", "{", "}", "\\"]
    assert [c.fraction for c in control.choices] == [0, 0, 0, 0, 0, 1]


def test_html_is_not_split_at_inline_tags_and_formats_are_removed():
    read = _read(ENGLISH)
    html = read["Html one"]
    assert html.text == "A caller says he is Officer Zhang.\nWhat now?"
    assert [c.text for c in html.choices] == ["Hang up and call back", "Pay the fine"]
    assert html.feedback == "Officers never ask for money."
    markdown = read["Markdown one"]
    assert markdown.text == "Who asks you to move all your savings?"
    assert [c.text for c in markdown.choices] == ["a scammer", "a fraudster", "a police officer"]


def test_the_chinese_constructs_import_as_moodle_means_them():
    questions, _quizzes, problems = parse_gift(CHINESE)
    assert len(_type_problems(problems)) == len(problems), [str(p) for p in problems]
    by_id = {q.item_id: q for q in questions}
    assert sorted(by_id) == sorted(PLAYABLE_ZH)
    assert all((q.pattern, q.audiences, q.rule, q.source) == ("冒充公检法", ("elder",), "三不一要", "P3 四(一)")
               for q in questions)

    safe = by_id["gjf-safe-account"]
    assert safe.kind == "single" and safe.answers == ("A",)
    assert safe.options[1].text == "按对方说的把钱转到安全账户"  # [plain] prefix gone, per-option feedback gone
    assert safe.action == "挂断电话，到派出所当面核实"  # from <p> paragraphs of the [html] general feedback
    assert safe.explanation.startswith("公检法机关不会通过电话办案") and "<" not in safe.explanation

    signs = by_id["gjf-signs"]
    assert signs.kind == "multiple" and signs.answers == ("A", "C")
    assert signs.options[3].text == "通知你到派出所领取丢失的钱包"

    assert (by_id["gjf-judge"].kind, by_id["gjf-judge"].answers) == ("judge", ("no",))
    hang_up = by_id["gjf-hang-up"]
    assert hang_up.prompt == "接到自称民警的电话，先挂断，再到派出所当面核实，是正确的做法。"  # [markdown] rendered
    assert hang_up.answers == ("yes",)

    partial = by_id["gjf-partial"]  # partial credit stays a wrong option of a single choice
    assert partial.kind == "single" and partial.answers == ("A",) and len(partial.options) == 3
    assert partial.options[1].text == "先打电话问问朋友的意见"

    hashed = by_id["gjf-hash"]
    assert hashed.options[0].text == "不回复，记下短信编号#2024后到派出所核实"  # \# kept, # feedback cut
    assert [o.text for o in hashed.options[1:]] == ["回复验证码配合办案", "按短信里的号码回电"]

    html = by_id["gjf-html"]
    assert html.scenario == "王阿姨接到电话，对方自称市公安局的张警官，说她的医保卡被人冒用了。\n对方要她把存款转到“安全账户”。"
    assert html.prompt == "王阿姨应该怎么做？"
    assert [o.text for o in html.options] == ["挂断电话，到派出所当面核实", "按对方的要求转账", "把手机验证码告诉对方"]


def test_a_moodle_reexport_with_paragraphs_keeps_rule_action_and_source():
    questions, _quizzes, problems = parse_gift(REEXPORT)
    assert problems == []
    by_id = {q.item_id: q for q in questions}
    first = by_id["sd-first-task"]
    assert (first.pattern, first.audiences) == ("刷单返利", ("elder", "student"))
    assert (first.rule, first.action, first.source) == ("不贪", "停止垫付，保留记录后报警", "P6 四.4")
    assert first.scenario == "小李在网上看到“动动手指点赞就能赚佣金”的兼职。\n\n第一单返了 5 元，对方又让她垫付 500 元做“大单”。"
    assert [o.text for o in first.options] == ["停止垫付，保留聊天记录后报警", "再垫付一单，把前面的钱拿回来",
                                             "%50% 的人都能拿回本金，所以继续做", "找朋友借钱完成任务"]
    assert first.answers == ("A",)
    assert by_id["sd-signs"].answers == ("A", "C")
    legal = by_id["sd-legal"]
    assert (legal.kind, legal.answers, legal.rule, legal.action) == ("judge", ("no",), "不贪", "不参与任何刷单兼职")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("::two-right:: 哪个对？{=甲 =乙 ~丙}", "有 2 个满分答案"),
        ("::seven:: 选哪个？{=一 ~二 ~三 ~四 ~五 ~六 ~七}", "有 7 个选项，最多 6 个"),
        ("::open:: 没有右括号 {=对 ~错", "{ } 没有配对"),
        ("::a:: 第一题？{=对 ~错}\n::b:: 第二题？{=对 ~错}", "题目之间要空一行"),
    ],
)
def test_malformed_choices_are_refused_with_their_line(tmp_path, text, message):
    path = tmp_path / "bad.gift"
    path.write_text("// 说明\n\n" + text + "\n", encoding="utf-8")
    _questions, _quizzes, problems = parse_gift(path)
    assert [(p.row, message in p.message) for p in problems if message in p.message] == [(3, True)], [str(p) for p in problems]


# ---------------------------------------------------------------- command line and dashboard


def test_the_cli_accepts_moodles_txt_and_names_each_refused_type(runner, tmp_path):
    good = runner.invoke(args=["bank", "check", str(REEXPORT)])
    assert good.exit_code == 0, good.output
    assert "3 道题" in good.output
    bad = runner.invoke(args=["bank", "check", str(CHINESE)])
    assert bad.exit_code == 1
    assert "Traceback" not in bad.output
    for line, name, type_name in REFUSED_ZH:
        assert f"文件 {CHINESE.name}，第 {line} 行，题目 {name}：这是{type_name}" in bad.output


def test_the_cli_imports_and_exports_txt(runner, tmp_path):
    copy = tmp_path / "从Moodle导出.txt"
    shutil.copy(REEXPORT, copy)
    imported = runner.invoke(args=["bank", "import", str(copy)])
    assert imported.exit_code == 0, imported.output
    assert "新增 3 道" in imported.output
    exported = runner.invoke(args=["bank", "export", "--format", "gift", str(tmp_path / "out.txt")])
    assert exported.exit_code == 0 and (tmp_path / "out.txt").is_file()


def test_a_folder_does_not_read_txt_files(runner, tmp_path):
    folder = tmp_path / "bank"
    folder.mkdir()
    shutil.copy(REEXPORT, folder / "gift.gift")
    (folder / "说明.txt").write_text("这个文件夹里放本单位的题目。\n", encoding="utf-8")
    result = runner.invoke(args=["bank", "check", str(folder)])
    assert result.exit_code == 0, result.output


def test_the_dashboard_names_each_refused_type(app, client):
    from tests.dashboard.test_upload import make_school, own_rows, upload
    from tests.helpers import sign_in

    school = make_school(app)
    sign_in(client, school["teacher"])
    response = upload(client, school["org_id"], CHINESE.read_bytes(), CHINESE.name)
    assert response.status_code == 422
    for line, name, type_name in REFUSED_ZH:
        assert f"第 {line} 行，题目 {name}：这是{type_name}" in response.text
    assert own_rows(app, school["org_id"]) == (0, 0)
    good = upload(client, school["org_id"], REEXPORT.read_bytes(), REEXPORT.name)
    assert good.status_code == 303
    assert own_rows(app, school["org_id"])[0] == 3


# ---------------------------------------------------------------- round trip


def _awkward_bank() -> Bank:
    """The template item with what a round trip used to change: a wrong option starting with %50%,
    blank lines inside the scenario, markup-like and GIFT-special characters, a [format]-like option."""
    example = template_bank().questions[0]
    options = (Option("A", "%50% 的人都能退回三倍，照做"), Option("B", "先把卡号告诉对方 & 等短信<验证码>"),
               Option("C", example.options[2].text), Option("D", "[html]问对方工号 #1，对上了就照做"))
    awkward = dataclasses.replace(
        example, options=options, answers=("C",),
        scenario="王阿姨接到电话。\n\n对方说：“退款三倍 = 您赚了~”\n\n\n他让她下载会议软件{屏幕共享}。",
    )
    multiple = dataclasses.replace(
        example, item_id="local-example-2", kind="multiple", answers=("A", "C"), prompt="哪些做法是对的？",
        options=(Option("A", "%100% 确认是官方号码再回拨"), Option("B", "下载会议软件"), Option("C", "挂断电话")),
    )
    return Bank((awkward, multiple), template_bank().quizzes)


def test_a_round_trip_keeps_every_item_unchanged(tmp_path):
    bank = _awkward_bank()
    questions, quizzes, problems = parse_gift(write_gift(bank, tmp_path / "a.gift"))
    assert [p for p in problems if "speech" not in (p.field or "")] == []
    assert [(q, q.content_hash()) for q in questions] == [(q, q.content_hash()) for q in bank.questions]
    assert questions[0].answers == ("C",) and questions[0].options[0].text.startswith("%50%")
    assert quizzes == list(bank.quizzes)


def test_reimporting_an_exported_file_makes_no_new_version(runner, tmp_path):
    bank = template_bank()
    first = write_gift(bank, tmp_path / "a.txt")
    assert "新增 1 道" in runner.invoke(args=["bank", "import", str(first)]).output
    questions, quizzes, _ = parse_gift(first)
    again = write_gift(Bank(tuple(questions), tuple(quizzes)), tmp_path / "b.txt")
    result = runner.invoke(args=["bank", "import", str(again)])
    assert result.exit_code == 0 and "新增 0 道，修改 0 道" in result.output, result.output


def test_files_written_by_the_earlier_exporter_still_read_the_same():
    """Before options and feedback were written as HTML: plain options, \\n-separated feedback."""
    questions, quizzes, problems = parse_gift(FIXTURES / "legacy_export.gift")
    assert problems == []
    assert [(q, q.content_hash()) for q in questions] == [(q, q.content_hash()) for q in template_bank().questions]
    assert quizzes == list(template_bank().quizzes)


def test_a_txt_past_the_size_cap_is_refused_before_it_is_read(runner, tmp_path):
    from app.bank.safe_files import MAX_FILE_BYTES

    big = tmp_path / "巨大.txt"
    big.write_bytes(b"// " + b"a" * MAX_FILE_BYTES + b"\n")
    result = runner.invoke(args=["bank", "check", str(big)])
    assert result.exit_code == 1 and "文件太大" in result.output and "Traceback" not in result.output


HOSTILE = {
    "two megabytes of <p> in one question": "::a::[html]" + "<p>" * 650_000 + "{=a ~b}",
    "unclosed tags": "::a::[html]" + "<a " * 650_000 + "{=a ~b}",
    "an unclosed quote in a tag": "::a::[html]" + '<p title="' * 200_000 + "{=a ~b}",
    "unclosed comments": "::a::[html]" + "<!--" * 500_000 + "{=a ~b}",
    "markdown marks": "::a::[markdown]" + "**a " * 500_000 + "{=a ~b}",
    "markdown links": "::a::[markdown]" + "[x](" * 500_000 + "{=a ~b}",
    "many small questions full of tags": "".join(f"::q{i}::[html]" + "<b>" * 300 + "{=a ~b}\n\n" for i in range(2000)),
    "half a million options": "::a:: q{" + "~<br>" * 400_000 + "}",
}


@pytest.mark.parametrize("text", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_markup_is_read_in_linear_time(tmp_path, text):
    """Two megabytes (the dashboard's limit) of the worst markup for a parser: well under two seconds of CPU
    (process time, so a busy machine does not make it flaky; a quadratic reader takes tens of seconds)."""
    import time

    path = tmp_path / "hostile.gift"
    path.write_text(text, encoding="utf-8")
    started = time.process_time()
    _questions, _quizzes, problems = parse_gift(path)
    assert time.process_time() - started < 2.0
    assert problems
