"""The closed vocabularies of the bank: audiences, kinds, scam patterns and the rules we teach.

Patterns and rules come from ../shared/scam-patterns.md (drawn from the campaign documents);
a few patterns marked "public guidance" come from public anti-fraud material instead.
"""

from __future__ import annotations

from dataclasses import dataclass

AUDIENCES: dict[str, str] = {"student": "学生", "elder": "长辈", "staff": "职工"}
# The posts a staff item is written for: its listener acts in that job (a teller stopping a transfer,
# a nurse answering a family's call). An item without a role is for every staff member (and may be for
# students or elders too); an item with one is for staff only, and only quizzes that list its role draw it.
ROLES: dict[str, str] = {
    "医院": "医护、收费、导诊等医院和卫生院职工",
    "银行网点": "柜员、大堂经理等银行网点员工",
    "民政与养老机构": "民政部门和养老服务机构的工作人员",
    "社区与街道": "社区、街道、乡镇的工作人员和网格员",
    "学校": "班主任、任课老师和学校行政人员",
    "市场监管": "市场监管所和市场监管部门的执法人员",
}
KINDS: dict[str, str] = {"single": "单选题", "multiple": "多选题", "judge": "判断题"}
JUDGE_OPTIONS: dict[str, str] = {"yes": "是", "no": "否"}


@dataclass(frozen=True)
class Pattern:
    name: str
    family: str
    where: str


_FAMILIES: dict[str, list[tuple[str, str]]] = {
    "养老诈骗": [
        ("保健品虚假宣传", "P7 五(三); P12 二(三); P13 三(一)(三); YX 养老(二)"),
        ("会销/健康讲座", "P7 五(四); P12 二(一); P13 三(二), 五(三)"),
        ("体验式销售医疗器械", "P7 五(五)"),
        ("低价/免费旅游", "P7 五(四); P10 四(九); P12 二(一)"),
        ("投资养老项目", "P1 二(一); P10 四(五); P12 二(一)(二)"),
        ("养老机构预付费/炒床位", "P8 二(三); P11 三(一)(二); P12 二(二)"),
        ("以房养老", "P10 四(五)(八); P12 二(二)"),
        ("代办养老保险", "P10 四(五)"),
        ("直播陪护/情感陪伴", "P1 二(一)"),
        ("消费返利/健康管理", "P12 二(一)"),
        ("艺术品收藏品", "P10 四(九)"),
        ("养老名义售房", "YX 养老(二); P10 四(八)"),
    ],
    "电信网络诈骗": [
        ("冒充公检法", "P3 四(一)"),
        ("冒充老师", "P3 四(二)"),
        ("刷单返利", "P6 四.4"),
        ("冒充客服退款", "P6 四.4"),
        ("校园贷/虚假贷款", "P6 四.4"),
        ("虚假招聘", "P6 四.4"),
        ("虚假投资理财", "YX 电信(一)"),
        ("短信链接/未知客户端", "P5 三.6; P14 四.2"),
        ("买卖银行卡电话卡", "YX 电信(二)"),
        ("涉诈APP/网站", "P10 一, 四(二)"),
        ("游戏交易", "public guidance"),
        ("冒充熟人领导", "public guidance"),
        ("网络交友婚恋", "public guidance"),
    ],
    "职工与机构": [
        ("银行预警", "P6 四.2"),
        ("四色名单", "P8 三; P11 三(二)"),
        ("以案说法", "P14 四.2-3"),
        ("易受骗群体", "P6 四.3"),
    ],
}

PATTERNS: dict[str, Pattern] = {
    name: Pattern(name=name, family=family, where=where)
    for family, rows in _FAMILIES.items()
    for name, where in rows
}


@dataclass(frozen=True)
class Rule:
    name: str
    wording: str


RULES: dict[str, Rule] = {
    r.name: r
    for r in (
        Rule("三不一要", "不轻信、不冲动、不转账；要及时报警"),
        Rule("不听不信不转账", "不听不信不转账，不贪不要不汇款，不下未知客户端"),
        Rule("不贪", "在思想上戒除贪念，不随意相信陌生人“忽悠”"),
        Rule("国家反诈中心APP", "下载安装“国家反诈中心”APP，开启来电和短信预警"),
        Rule("被骗后补救", "立即打110报警，警方会对收款账户紧急止付；自己联系银行冻结银行卡，保留聊天记录和转账凭证"),
        Rule("举报渠道", "遇到可疑情况及时举报：报警打110，保健品等消费投诉打12315"),
        Rule("96110预警", "96110是反诈预警专线，接到要接听，听从劝阻；它只劝阻，从不让人转账或报验证码"),
        # Rules for staff at work (the rule shown after a staff item fits the post, not only the victim).
        Rule("柜台劝阻", "暂缓—核实—报告—报警：疑似被骗的转账先暂缓办理，核实用途，报告负责人，必要时报警"),
        Rule("分级分类处置", "按2022年专项行动的“四色名单”（绿、黄、橙、红）分级管控养老服务机构，按风险分类处置，涉嫌犯罪的移交公安机关"),
        Rule("以案说法", "用真实案例讲清骗局和应对办法，不公开受害人的姓名和个人信息"),
        Rule("线索上报", "发现涉诈线索先固定证据，及时上报主管部门，涉嫌犯罪的移交公安机关"),
        Rule("点对点提醒", "对老人和重点人群点对点提醒：上门当面讲、讲给家人听，发现正在被骗立即报警"),
    )
}
