"""GIFT text: escapes (\\= \\~ \\# \\{ \\} \\: \\\\ and \\n) and the [markdown]/[html]/[plain]/[moodle] formats."""

from __future__ import annotations

import html
import re

ESCAPABLE = "~=#{}:\\"
_BASE = 0xE000  # escaped characters hide in the Private Use Area while the structure is parsed
_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
_INLINE = [
    (re.compile(r"<br\s*/?>", re.IGNORECASE), "\n"),
    (re.compile(r"</p>\s*<p[^>]*>", re.IGNORECASE), "\n\n"),
    (re.compile(r"</?p[^>]*>", re.IGNORECASE), "\n\n"),
    (re.compile(r"<(b|strong)>(.*?)</\1>", re.IGNORECASE | re.DOTALL), r"**\2**"),
    (re.compile(r"<(i|em)>(.*?)</\1>", re.IGNORECASE | re.DOTALL), r"*\2*"),
    (re.compile(r"<code>(.*?)</code>", re.IGNORECASE | re.DOTALL), r"`\1`"),
    (re.compile(r"<a\s[^>]*href=\"(https?://[^\"]+)\"[^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL), r"[\2](\1)"),
    (re.compile(r"<li[^>]*>", re.IGNORECASE), "\n- "),
]
_PLAIN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def protect(text: str) -> str:
    """Replace each escaped character by a private stand-in (so = ~ # { } : in text are not syntax) and \\n by
    a newline."""
    out = []
    index = 0
    while index < len(text):
        char = text[index]
        following = text[index + 1] if index + 1 < len(text) else ""
        if char == "\\" and following in ESCAPABLE and following:
            out.append(chr(_BASE + ord(following)))
            index += 2
        elif char == "\\" and following == "n":
            out.append("\n")
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


def restore(text: str) -> str:
    """Turn the stand-ins of protect() back into the characters they hide."""
    for char in ESCAPABLE:
        text = text.replace(chr(_BASE + ord(char)), char)
    return text


def to_markdown(text: str, fmt: str, notes: list[str], one_line: bool = False) -> str:
    """GIFT text in its format as Markdown: [markdown] as written, [html] converted (bold, italics, links,
    paragraphs, lists; other tags dropped with a note), [plain] with Markdown characters escaped, and [moodle]
    (the default) as written unless it holds HTML tags."""
    text = restore(text)
    if fmt == "html" or (fmt == "moodle" and _TAG.search(text)):
        text = _from_html(text, notes)
    elif fmt == "plain":
        text = _PLAIN_SPECIAL.sub(r"\\\1", text)
    if one_line:
        return " ".join(text.split())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in text.strip().splitlines()))


def _from_html(text: str, notes: list[str]) -> str:
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    if _TAG.search(text):
        note = "HTML tags other than bold, italics, code, links, paragraphs and lists were removed"
        if note not in notes:
            notes.append(note)
        text = _TAG.sub("", text)
    return html.unescape(text)
