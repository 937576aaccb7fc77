"""CSV and Excel exports for 上级检查: the group's people, the organisation's groups, the pledge list.

Both formats are safe to open in Excel and WPS (app.spreadsheets): any text cell that starts with
= + - @, a tab, a carriage return or a NUL gets a leading apostrophe, so it is shown as text and
never run as a formula (OWASP "CSV injection"); in the .xlsx every text cell is also stored as a
string. CSV files start with a UTF-8 byte-order mark so Excel reads the Chinese correctly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from flask import Response

from app.reports.formatting import local_time, percent, ratio
from app.reports.organisations import OrganisationReport
from app.reports.people import PersonLine, PledgeLine
from app.reports.rounds import Round
from app.spreadsheets import Cell, neutralise, write_sheet
from app.timezones import zone_label

BOM = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return (BOM + out.getvalue()).encode("utf-8")


def xlsx_bytes(sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    from openpyxl import Workbook  # here, not at import: web workers that never export do not carry it

    book = Workbook()
    sheet = book.worksheets[0]  # a new workbook's one sheet
    sheet.title = sheet_title[:31]
    write_sheet(sheet, [neutralise(h) for h in headers], ([neutralise(v) for v in row] for row in rows), width=16)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(data: bytes, filename: str, fmt: str) -> Response:
    """An attachment whose Chinese file name survives every browser (RFC 6266 filename*)."""
    mimetype = "text/csv; charset=utf-8" if fmt == "csv" else XLSX_TYPE
    ascii_name = "report." + fmt
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": disposition})


def table(headers: Sequence[str], rows: list[list[Cell]], fmt: str, filename: str, sheet: str) -> Response:
    if fmt == "csv":
        return download(csv_bytes(headers, rows), filename + ".csv", "csv")
    return download(xlsx_bytes(sheet, headers, rows), filename + ".xlsx", "xlsx")


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


def people_table(current: Round, people: list[PersonLine]) -> tuple[list[str], list[list[Cell]]]:
    """One row per person. Staff rosters carry 姓名/工号/科室; minors (school groups) only a nickname."""
    who = ["姓名", "工号", "科室"] if current.roster else ["昵称"]
    headers = [*who, "得分", "总题数", "得分率（%）", "是否及格", f"完成时间（{zone_label()}）", "已签承诺书", "证书编号"]
    rows: list[list[Cell]] = []
    for p in people:
        ident: list[Cell] = [p.name, p.staff_no, p.department] if current.roster else [p.nickname]
        if p.score is None:
            result: list[Cell] = ["", "", "", "未完成", ""]
        else:
            result = [p.score, p.total, percent(ratio(p.permille or 0, 1000)), _yes(bool(p.passed)),
                      local_time(p.finished_at)]
        rows.append([*ident, *result, _yes(p.pledged), p.certificate])
    return headers, rows


def organisation_table(report: OrganisationReport) -> tuple[list[str], list[list[Cell]]]:
    word = report.organisation.words.group
    headers = ["名次", word, "应到人数", "参与人数", "参与率（%）", "平均分（%）", f"完成时间（{zone_label()}）",
               "承诺书签署数", "签署率（%）", "家庭参与数"]
    rows: list[list[Cell]] = [
        [line.rank, line.group.name, line.group.size, line.participants, percent(line.rate), percent(line.average),
         local_time(line.completed_at), line.group.pledges, percent(line.sign_rate), line.group.families]
        for line in report.lines
    ]
    t = report.totals
    rows.append(["合计", f"{t.groups} 个{word}", t.size, t.participants, percent(t.rate), percent(t.average),
                 local_time(t.completed_at), t.pledges, percent(t.sign_rate), t.families])
    return headers, rows


def pledges_table(current: Round, pledges: list[PledgeLine]) -> tuple[list[str], list[list[Cell]]]:
    signer = "签名（昵称）" if current.minors else "签名人"
    headers = [signer, f"签署时间（{zone_label()}）", "签名方式", "签署人身份"]
    rows: list[list[Cell]] = [
        [p.name, local_time(p.signed_at), "手写签名" if p.drawn else "输入姓名", "家庭成员" if p.family else "本人"]
        for p in pledges
    ]
    return headers, rows
