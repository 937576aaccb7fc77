"""`flask bank check|import|stats|export`: plain-words errors, exit 1, never a traceback."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from app.bank.errors import Problem
from app.bank.loader import cross_check, read_bank
from app.bank.notes import check_notes
from app.bank.safe_files import FileRefused, check_size
from app.bank.schema import Bank
from app.bank.tells import tells_notes


def _path(arg: str | None) -> Path:
    return Path(arg) if arg else Path(current_app.config["QUESTION_BANK_DIR"])


def _read(path: Path) -> tuple[Bank, list[Problem]]:
    """read_bank, and one .txt file read as GIFT: Moodle exports GIFT as .txt. Inside a folder a .txt
    file is not read (it may be anything, a README say)."""
    if path.suffix.lower() == ".txt" and path.is_file():
        from app.bank.gift_format import parse_gift

        try:
            check_size(path)  # the same cap as every other bank file (app.bank.safe_files)
        except FileRefused as exc:
            return Bank((), ()), [Problem(path.name, None, None, exc.message)]
        questions, quizzes, problems = parse_gift(path)
        return Bank(tuple(questions), tuple(quizzes)), problems + cross_check(questions, quizzes)
    return read_bank(path)


def _read_or_exit(arg: str | None) -> Bank:
    bank, problems = _read(_path(arg))
    if problems:
        _report(problems)
        sys.exit(1)
    return bank


def _report(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"发现 {len(problems)} 处问题，请修改后再试。", err=True)


@click.group("bank", help="Question bank: check, import, export and count.")
def bank_cli() -> None:
    pass


@bank_cli.command("check")
@click.argument("path", required=False)
@with_appcontext
def check(path: str | None) -> None:
    """Validate the bank (default question_bank/)."""
    bank = _read_or_exit(path)
    for note in [*tells_notes(bank), *check_notes(bank)]:
        click.echo(f"提示：{note}")
    click.echo(f"题库检查通过：{len(bank.questions)} 道题，{len(bank.quizzes)} 个测验。")


@bank_cli.command("import")
@click.argument("path", required=False)
@with_appcontext
def import_(path: str | None) -> None:
    """Load the bank into the database. Running it twice changes nothing.

    A folder is the whole bank (items it no longer has are retired); a single file only adds.
    """
    from app.bank.importer import import_bank

    bank = _read_or_exit(path)
    try:
        report = import_bank(bank, retire_missing=_path(path).is_dir())
    except SQLAlchemyError as exc:
        click.echo(f"写入数据库失败：{exc.__class__.__name__}。请先运行 flask --app wsgi db upgrade。", err=True)
        sys.exit(1)
    click.echo(
        f"导入完成：新增 {len(report.added)} 道，修改 {len(report.changed)} 道（旧版本保留给已有答题记录），"
        f"下架 {len(report.retired)} 道，未变 {report.unchanged} 道；测验 {report.quizzes} 个。"
    )


@bank_cli.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the contract's shape).")
@click.argument("path", required=False)
@with_appcontext
def stats(as_json: bool, path: str | None) -> None:
    """Count questions, scenarios, patterns, audiences and kinds."""
    from app.bank.stats import bank_stats

    figures = bank_stats(_read_or_exit(path))
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    click.echo(f"题目 {figures['questions']} 道，情景题 {figures['scenarios']} 个")
    tells = figures["tells"]
    click.echo(f"答案规律：{'目标全部达到' if tells['all_met'] else '有目标未达到（bank check 会列出题目）'}")
    for name, count in figures["patterns"].items():
        click.echo(f"  {name}: {count}")


@bank_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["yaml", "xlsx", "gift"]), required=True)
@click.argument("out")
@with_appcontext
def export(fmt: str, out: str) -> None:
    """Write the shipped bank (question_bank/): yaml into folder OUT, xlsx or gift (.gift or .txt) into file OUT."""
    from app.bank.export import export_yaml
    from app.bank.gift_format import write_gift
    from app.bank.xlsx_format import write_xlsx

    bank = _read_or_exit(None)
    target = Path(out)
    if fmt == "yaml":
        written = export_yaml(bank, target)
    elif fmt == "xlsx":
        written = [write_xlsx(bank, target if target.suffix == ".xlsx" else target.with_suffix(".xlsx"))]
    else:
        written = [write_gift(bank, target if target.suffix in (".gift", ".txt") else target.with_suffix(".gift"))]
    for path in written:
        click.echo(f"已写入 {path}")


@bank_cli.command("template")
@click.argument("out", default="题库模板.xlsx")
def template(out: str) -> None:
    """Write the Excel template (Chinese headers, one example row, a sheet of instructions)."""
    from app.bank.xlsx_format import template_bank, write_xlsx

    click.echo(f"已写入 {write_xlsx(template_bank(), Path(out))}")
