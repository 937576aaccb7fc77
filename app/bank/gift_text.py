"""Moodle's text formats ([html], [moodle], [plain], [markdown]) turned into the bank's plain text.

The bank stores plain text and every page escapes it, so markup is never rendered: tags are
dropped (block tags and <br> end a line, inline tags such as <b> or <span> do not), entities
decoded, and the content of <script> and <style> thrown away. [plain] is kept as written;
[markdown] loses its emphasis, code, link and heading marks. A blank line survives as an empty
paragraph (<p></p>), which is how the GIFT writer keeps one.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

FORMATS = ("moodle", "html", "plain", "markdown")
FORMAT_PREFIX = re.compile(r"^\[(moodle|html|plain|markdown)\]")
BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "table", "tr", "section", "article", "header", "footer", "figure", "figcaption", "hr",
}
SKIPPED_TAGS = {"script", "style", "head", "title", "template", "noscript"}


class _PlainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping = 0
        self.paragraph_at: int | None = None  # len(lines) when the open <p> began

    def _end_line(self, even_empty: bool = False) -> None:
        text = "".join(self.current)
        if even_empty or text.strip():
            self.lines.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif tag == "br":
            self._end_line(even_empty=True)
        elif tag in BLOCK_TAGS:
            self._end_line()
            if tag == "p":
                self.paragraph_at = len(self.lines)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SKIPPED_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            empty = not "".join(self.current).strip()
            self._end_line()
            if tag == "p" and empty and self.paragraph_at == len(self.lines):
                self.lines.append("")  # <p></p>: a blank line
            self.paragraph_at = None

    def handle_data(self, data: str) -> None:
        if self.skipping or (not data.strip() and "\n" in data):
            return  # a line break between tags is layout, not text
        *ended, rest = data.split("\n")
        for part in ended:  # a newline in the source (our older exports, Moodle's auto-format) ends a line
            self.current.append(part)
            self._end_line()
        self.current.append(rest)

    def text(self) -> str:
        self.close()
        self._end_line()
        return "\n".join(line.replace("\xa0", " ").strip() for line in self.lines).strip()


def html_to_text(markup: str) -> str:
    parser = _PlainText()
    parser.feed(markup)
    return parser.text()


MARKDOWN_RULES = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # image: its alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # link: its text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # strong
    (re.compile(r"(?<!\*)\*(?![\s*])(.+?)(?<![\s*])\*(?!\*)"), r"\1"),  # emphasis, inside words too
    (re.compile(r"(?<![\w_])_(?![\s_])(.+?)(?<![\s_])_(?![\w_])"), r"\1"),  # _emphasis_, not inside words
    (re.compile(r"`([^`]+)`"), r"\1"),  # code
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.M), ""),  # heading marks
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.M), ""),  # quote marks
]
MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")
HIDDEN = 0xF0000  # escaped marks are set aside in a private-use plane while the rules run


def markdown_to_text(markdown: str) -> str:
    markdown = MARKDOWN_ESCAPE.sub(lambda m: chr(HIDDEN + ord(m.group(1))), markdown)
    for pattern, replacement in MARKDOWN_RULES:
        markdown = pattern.sub(replacement, markdown)
    markdown = re.sub("[\U000F0000-\U000F007F]", lambda m: chr(ord(m.group(0)) - HIDDEN), markdown)
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
