"""The kinds of organisation and everything that follows from one: the words its pages use, the
track its people play, the quiz a new group starts with, and whether its people are minors.

One frozen record per kind; views hand `kind_of(org.kind)` (also `Organisation.words`) to the
templates, so a hospital's 科室 page says 科室码 and 职工, never 班级码 or 学生.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: str  # stored in organisations.kind
    label: str  # 学校
    group: str  # what a group of it is called: 班级
    code: str  # its join code: 班级码
    page: str  # its public page (/g/<code>): 班级页
    member: str  # its people: 学生
    own: str  # "this group" in a sentence: 本班
    leader: str  # who runs a group: 老师
    audience: str  # the bank audience its people play (app.bank.taxonomy.AUDIENCES)
    default_quiz: str  # the quiz a new group plays when nothing is assigned
    minors: bool = False  # shown by nickname only, never on a roster; pupils bring a family link home


SCHOOL = Kind("school", "学校", "班级", "班级码", "班级页", "学生", "本班", "老师", "student", "student-basics",
              minors=True)
# A hospital's wards play the hospital staff's quiz (its own post's items and those for every staff
# member); an agency (civil affairs, market regulation, health …) has people of many posts, so it starts
# with the quiz for every staff member and assigns a post's quiz (staff-civil, staff-market …) where it fits.
HOSPITAL = Kind("hospital", "医院", "科室", "科室码", "科室页", "职工", "本科室", "负责人", "staff", "staff-hospital")
COMMUNITY = Kind("community", "社区", "小组", "小组码", "小组页", "居民", "本组", "工作人员", "elder", "elder-listen")
AGENCY = Kind("agency", "机关单位", "部门", "部门码", "部门页", "职工", "本部门", "负责人", "staff", "staff-training")

KINDS: dict[str, Kind] = {kind.key: kind for kind in (SCHOOL, HOSPITAL, COMMUNITY, AGENCY)}
# For a kind stored by an older version and no longer known: neutral words, adults.
OTHER = Kind("", "单位", "小组", "加入码", "小组页", "成员", "本组", "负责人", "staff", "staff-training")


def kind_of(key: str) -> Kind:
    return KINDS.get(key, OTHER)


def labels() -> dict[str, str]:
    """{key: label} for a form's choices and the command line, in the order above."""
    return {key: kind.label for key, kind in KINDS.items()}
