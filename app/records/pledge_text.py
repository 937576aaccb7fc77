"""Our own text of 《拒绝电信诈骗承诺书》, built on 三不一要 (不轻信、不冲动、不转账；要及时报警).

Plain, short sentences that a pupil or a grandparent can read aloud. `speech_texts()` gives what the
听承诺书 button plays; `tts warm` voices the same texts (app.tts.cli.collect_clips).
"""

from __future__ import annotations

from app.tts.text import speech_text

TITLE = "拒绝电信诈骗承诺书"

INTRO = "我学过了反诈课堂，知道骗子常用的套路。为了自己和家人的钱袋子，我承诺："

POINTS: tuple[str, ...] = (
    "不轻信。陌生电话、短信和网上消息说自己是公安、客服、老师或领导，我先核实，不凭一句话就信。",
    "不冲动。有人催我“马上办”、“别告诉家人”、“稳赚不赔”，我先停下来，和家人商量再说。",
    "不转账。不给陌生账户打钱，不把验证码、密码和银行卡号告诉任何人。",
    "要及时报警。拿不准、发现被骗，马上拨打 110；接到 96110 的来电，我认真接听。",
    "装好国家反诈中心App，打开来电预警，收到提醒不嫌烦。",
    "不出租、不出借、不出售自己的银行卡和电话卡，不帮陌生人收钱、转钱。",
    "把学到的防骗办法讲给家人听，特别是家里的老人和孩子。",
)

_NUMERALS = "一二三四五六七八九十"
CLOSING = "说到做到，守住自己的钱，也护好身边的人。"


def paragraphs() -> list[str]:
    """The pledge as displayed, in reading order (title first)."""
    return [TITLE, INTRO, *POINTS, CLOSING]


def speech_texts() -> list[str]:
    """What is read aloud: one clip per paragraph, points numbered as on the page."""
    spoken = [speech_text(TITLE), speech_text(INTRO)]
    spoken += [speech_text(f"第{_NUMERALS[n]}条，{point}") for n, point in enumerate(POINTS)]
    spoken.append(speech_text(CLOSING))
    return spoken


def spoken_paragraphs() -> list[tuple[str, str]]:
    """For `tts warm` (registered in the factory): each spoken paragraph and where it is read."""
    return [(f"承诺书 第 {n} 段", text) for n, text in enumerate(speech_texts(), start=1)]
