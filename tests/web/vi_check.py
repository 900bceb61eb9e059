"""Finds English left on a page meant to be in Vietnamese.

The English vocabulary is every word of the interface's own English strings (the ``msgid`` of
every catalogue); a word counts as Vietnamese when a translation, the Vietnamese seed data or
Faker's Vietnamese names use it ("an", "long", "minh" are Vietnamese too). A piece of visible text
(or a title, placeholder, label or alt text) that holds an English word that is not also
Vietnamese is reported. Code, scripts and what is marked ``translate="no"`` are skipped.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import saleshelm
from tests.web.test_translations import parse_po

PACKAGE = Path(saleshelm.__file__).parent
WORD = re.compile(r"\w+", re.UNICODE)
ASCII_WORD = re.compile(r"[A-Za-z]{3,}")
NOT_WORDS = re.compile(
    r"\S+@\S+|\b\w+_\w+\b|https?://\S+|%\(\w+\)[sdif]|\{\{.*?\}\}|\b[A-Z]{2,}[-_0-9A-Z]*\b|\b\w*\d\w*\b"
)
# Names, units and formats that read the same in both languages.
SAME_IN_BOTH = {
    "saleshelm", "email", "hubspot", "salesforce", "excel", "linkedin", "zalo", "facebook",
    "google", "website", "web", "online", "demo", "playbook", "pipeline", "check", "coaching",
    "kpi", "totp", "otp", "app", "admin", "logo", "zoom", "teams", "gmail", "outlook",
}  # fmt: skip
SKIPPED_TAGS = {"script", "style", "code", "pre", "textarea", "svg", "template", "noscript"}
TEXT_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


def _catalogue_words(field: str) -> set[str]:
    words: set[str] = set()
    for po in PACKAGE.glob("**/locale/vi/LC_MESSAGES/django.po"):
        for entry in parse_po(po):
            texts = [entry.msgid] if field == "msgid" else list(entry.msgstr.values())
            for text in texts:
                words.update(w.lower() for w in WORD.findall(NOT_WORDS.sub(" ", text)))
    return words


@cache
def vocabularies() -> tuple[frozenset[str], frozenset[str]]:
    """(English words of the interface, words that are Vietnamese as well)."""
    from faker import Faker

    english = {w for w in _catalogue_words("msgid") if ASCII_WORD.fullmatch(w)}
    vietnamese = _catalogue_words("msgstr")
    faker = Faker("vi_VN")
    for provider in faker.providers:
        for name in ("first_names", "last_names", "middle_names", "first_names_male",
                     "first_names_female", "middle_names_male", "middle_names_female"):  # fmt: skip
            for value in getattr(provider, name, ()) or ():
                vietnamese.update(w.lower() for w in WORD.findall(str(value)))
    vietnamese |= _seed_words()
    return frozenset(english - vietnamese - SAME_IN_BOTH - _syntax()), frozenset(vietnamese)


def _syntax() -> set[str]:
    """Words a person types as they are, in either language (a segment rule's keys)."""
    from saleshelm.direction.forms import CUSTOM_KEYS

    return {w.lower() for key in CUSTOM_KEYS for w in WORD.findall(key.replace("_", " "))}


def _seed_words() -> set[str]:
    """Words of the demo data: every Vietnamese phrase the seeders write (the literals with a
    letter outside ASCII), and the English names of the foreign customers a Vietnamese firm
    also sells to."""
    from saleshelm.crm.seed import catalogue

    words: set[str] = set()
    for path in [
        *PACKAGE.glob("*/seed.py"),
        *PACKAGE.glob("*/seed_*.py"),
        *PACKAGE.glob("*/seed/*.py"),
    ]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and any(ord(c) > 127 and c.isalpha() for c in node.value)
            ):
                words.update(w.lower() for w in WORD.findall(node.value))
    for name in (*catalogue.EN_COMPANY_HEADS, *catalogue.EN_COMPANY_TAILS):
        words.update(w.lower() for w in WORD.findall(name))
    return words


class _Texts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        lang = (values.get("lang") or "vi").lower()
        skip = tag in SKIPPED_TAGS or values.get("translate") == "no" or not lang.startswith("vi")
        if not skip and not self._skipping():
            self.texts.extend(v for k in TEXT_ATTRIBUTES if (v := values.get(k)))
            if (
                tag == "input"
                and values.get("type") in {"submit", "button"}
                and values.get("value")
            ):
                self.texts.append(values["value"])
        if tag not in {"br", "img", "input", "meta", "link", "hr", "source", "col", "wbr"}:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self._skipping() and data.strip():
            self.texts.append(data)


def visible_texts(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return [" ".join(t.split()) for t in parser.texts]


def english_words(text: str) -> list[str]:
    english, _vietnamese = vocabularies()
    return [w for w in ASCII_WORD.findall(NOT_WORDS.sub(" ", text)) if w.lower() in english]


def english_runs(html: str) -> list[str]:
    """The pieces of text of ``html`` that hold English words."""
    return [text[:100] for text in visible_texts(html) if english_words(text)]
