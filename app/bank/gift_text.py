"""Moodle's text formats ([html], [moodle], [plain], [markdown]) turned into the bank's plain text.

The bank stores plain text and every page escapes it, so markup is never rendered: tags are
dropped (block tags and <br> end a line, inline tags such as <b> or <span> do not), entities
decoded, and comments and the content of <script> and <style> thrown away. [plain] is kept as
written; [markdown] loses its emphasis, code, link and heading marks. A blank line survives as an
empty paragraph (<p></p>), which is how the GIFT writer keeps one.

Everything here is linear in the text's length, whatever a hostile file holds: tags are found by
regular expressions that never look past the next "<" (html.parser rescans an unclosed tag from
its start, which is quadratic), and markdown spans are bounded in length.
"""

from __future__ import annotations

import html
import re

FORMATS = ("moodle", "html", "plain", "markdown")
FORMAT_PREFIX = re.compile(r"^\[(moodle|html|plain|markdown)\]")

MARK = "\x01"  # stands for a tag that ends a line while the text is reduced; removed from input first
# The rest of a tag: attributes, quoted values may hold ">"; never past the next "<" (so linear).
REST = r"""(?:[^<>"']|"[^"<]*"|'[^'<]*')*>"""
BLOCK_TAGS = "div|li|ul|ol|dl|dt|dd|h[1-6]|blockquote|pre|table|tr|section|article|header|footer|figure|figcaption|hr"
# One pass over the markup. An unclosed comment or script runs to the end, as in a browser.
TOKEN = re.compile(
    r"<(?:(?P<drop>!--.*?(?:-->|\Z)|(script|style|head|title|template|noscript)\b" + REST + r".*?(?:</\2\s*>|\Z))"
    r"|(?P<B>br\b" + REST + r")|(?P<P>p\b" + REST + r")|(?P<Q>/p\s*>)"
    r"|(?P<K>/?(?:" + BLOCK_TAGS + r")\b" + REST + r")"
    r"|(?P<tag>/?[a-zA-Z][a-zA-Z0-9-]*\b" + REST + r"|![^<>]*>|\?[^<>]*>))",
    re.S | re.I,
)
MARKS = {"B": MARK + "B", "P": MARK + "P", "Q": MARK + "Q", "K": MARK + "K"}
LAYOUT = re.compile(r">[ \t\r\f]*\n\s*<")  # a line break between two tags is layout, not text


def html_to_text(markup: str) -> str:
    text = markup.replace(MARK, "")
    if "<" in text:
        text = TOKEN.sub(lambda m: MARKS.get(m.lastgroup or "", ""), LAYOUT.sub("><", text))
    text = html.unescape(text)  # after the tags are gone, so &lt;b&gt; stays text; no entity makes a MARK
    lines: list[str] = []
    current = ""
    paragraph_at: int | None = None  # len(lines) when the open <p> began

    def end_line(even_empty: bool = False) -> None:
        nonlocal current
        if even_empty or current.strip():
            lines.append(current)
        current = ""

    for n, segment in enumerate(text.split(MARK)):
        if n:
            mark, segment = segment[:1], segment[1:]
            empty = not current.strip()
            if mark == "B":
                end_line(even_empty=True)
            else:
                end_line()
            if mark == "P":
                paragraph_at = len(lines)
            elif mark == "Q":
                if empty and paragraph_at == len(lines):
                    lines.append("")  # <p></p>: a blank line
                paragraph_at = None
        if not segment.strip() and "\n" in segment:
            continue
        *ended, rest = segment.split("\n")
        for part in ended:  # a newline in the source (our older exports, Moodle's auto-format) ends a line
            current += part
            end_line()
        current += rest
    end_line()
    return "\n".join(line.replace("\xa0", " ").strip() for line in lines).strip()


# Each span stops at the next mark of its kind, so a hostile line is read once, not once per mark.
MARKDOWN_RULES = [
    (re.compile(r"!\[([^\[\]\n]{0,500})\]\([^()\n]{0,2000}\)"), r"\1"),  # image: its alt text
    (re.compile(r"\[([^\[\]\n]{1,500})\]\([^()\n]{0,2000}\)"), r"\1"),  # link: its text
    (re.compile(r"\*\*(?=[^\s*])([^*\n]{1,500})(?<=[^\s*])\*\*"), r"\1"),  # **strong**
    (re.compile(r"__(?=[^\s_])([^_\n]{1,500})(?<=[^\s_])__"), r"\1"),  # __strong__
    (re.compile(r"\*(?=[^\s*])([^*\n]{1,500})(?<=[^\s*])\*"), r"\1"),  # *emphasis*, inside words too
    (re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]{1,500})(?<=[^\s_])_(?![\w_])"), r"\1"),  # _emphasis_, not in words
    (re.compile(r"`([^`\n]{1,500})`"), r"\1"),  # code
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.M), ""),  # heading marks
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.M), ""),  # quote marks
]
MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")
HIDDEN = 0xF0000  # escaped marks are set aside in a private-use plane while the rules run
HIDDEN_RE = re.compile("[\U000F0000-\U000F007F]")


def markdown_to_text(markdown: str) -> str:
    markdown = MARKDOWN_ESCAPE.sub(lambda m: chr(HIDDEN + ord(m.group(1))), HIDDEN_RE.sub("", markdown))
    for pattern, replacement in MARKDOWN_RULES:
        markdown = pattern.sub(replacement, markdown)
    markdown = HIDDEN_RE.sub(lambda m: chr(ord(m.group(0)) - HIDDEN), markdown)
    return html_to_text(markdown)  # markdown may carry inline HTML


def split_format(text: str, default: str) -> tuple[str, str]:
    """(format, text without its [format] prefix). An unknown [word] is text, as in Moodle."""
    match = FORMAT_PREFIX.match(text)
    return (match.group(1), text[match.end():]) if match else (default, text)


def to_plain(text: str, fmt: str) -> str:
    if fmt == "plain":
        return text.strip()
    if fmt == "markdown":
        return markdown_to_text(text)
    return html_to_text(text)  # html, and Moodle's own auto-format (HTML with line breaks kept)
