"""Vietnamese everywhere (SPEC §9): every catalogue is complete, compiled, and pages use it.

The catalogue check reads each app's ``locale/vi/LC_MESSAGES/django.po`` with the small parser
below (no dependency): an entry that ``makemessages`` adds for a new English string has an empty
``msgstr`` and fails here, as does a ``fuzzy`` guess, a lost ``%(name)s`` placeholder or a
``.mo`` not compiled from the current ``.po``.
"""

from __future__ import annotations

import ast
import datetime as dt
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.urls import reverse

import saleshelm
from tests.crm.factories import OpportunityFactory
from tests.incentives.factories import D, import_plan, order, run, statement

PACKAGE = Path(saleshelm.__file__).parent
CATALOGUES = sorted(PACKAGE.glob("*/locale/vi/LC_MESSAGES/django.po")) + sorted(
    PACKAGE.glob("locale/vi/LC_MESSAGES/django.po")
)
# Apps with strings to translate; each keeps its own catalogue.
APPS_WITH_STRINGS = {
    "crm",
    "development",
    "direction",
    "imports",
    "incentives",
    "people",
    "performance",
    "tenancy",
    "web",
}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{\{\s*\w+\s*\}\}")
KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    def label(self) -> str:
        ctx = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"line {self.line}: {ctx}{self.msgid!r}"


def parse_po(path: Path) -> list[Entry]:
    """The live entries of a .po file (obsolete ``#~`` ones and ``#|`` previous ids skipped)."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None
    flags: set[str] = set()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            current, target, flags = None, None, set()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        if line.startswith("#"):
            continue
        keyword = KEYWORD.match(line)
        if keyword:
            name, index, literal = keyword.groups()
            value = ast.literal_eval(literal)
            if name in ("msgctxt", "msgid") and (current is None or current.msgstr):
                current = Entry(line=number, flags=flags)
                entries.append(current)
                flags = set()
            assert current is not None, f"{path}:{number}: {name} outside an entry"
            if name == "msgctxt":
                current.msgctxt, target = value, ("msgctxt", 0)
            elif name == "msgid":
                current.msgid, target = value, ("msgid", 0)
            elif name == "msgid_plural":
                current.msgid_plural, target = value, ("msgid_plural", 0)
            else:
                slot = int(index or 0)
                current.msgstr[slot], target = value, ("msgstr", slot)
            continue
        assert line.startswith('"') and current is not None and target is not None, (
            f"{path}:{number}: unexpected line {raw!r}"
        )
        value = ast.literal_eval(line)
        kind, slot = target
        if kind == "msgstr":
            current.msgstr[slot] += value
        else:
            setattr(current, kind, (getattr(current, kind) or "") + value)
    return entries


def _catalogue_id(path: Path) -> str:
    return str(path.relative_to(PACKAGE).parts[0])


def test_every_app_with_strings_has_a_vietnamese_catalogue():
    found = {_catalogue_id(p) for p in CATALOGUES}
    assert found >= APPS_WITH_STRINGS, APPS_WITH_STRINGS - found


@pytest.mark.parametrize("po", CATALOGUES, ids=_catalogue_id)
def test_the_catalogue_has_no_untranslated_or_fuzzy_entry(po):
    entries = parse_po(po)
    header, messages = entries[0], entries[1:]
    assert header.msgid == "" and "Plural-Forms: nplurals=1;" in header.msgstr[0]
    assert messages, "an empty catalogue"
    # nplurals=1: msgstr[0] is the one form of a plural entry
    untranslated = [e.label() for e in messages if not e.msgstr.get(0, "").strip()]
    fuzzy = [e.label() for e in messages if "fuzzy" in e.flags]
    assert untranslated == [], f"{len(untranslated)} untranslated in {po}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {po}"


@pytest.mark.parametrize("po", CATALOGUES, ids=_catalogue_id)
def test_translations_keep_their_placeholders(po):
    wrong = []
    for e in parse_po(po)[1:]:
        source = e.msgid + (e.msgid_plural or "")
        wanted = sorted(set(PLACEHOLDER.findall(source)))
        got = sorted(set(PLACEHOLDER.findall(e.msgstr.get(0, ""))))
        if wanted != got and ("python-format" in e.flags or "{{" in source):
            wrong.append(f"{e.label()}: {wanted} → {got}")
    assert wrong == []


@pytest.mark.parametrize("po", CATALOGUES, ids=_catalogue_id)
def test_the_compiled_catalogue_matches_the_po(po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"run compilemessages: {mo} is missing"
    with mo.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for e in parse_po(po)[1:]:
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            if compiled._catalog.get(key) != e.msgstr[0]:  # type: ignore[attr-defined]
                stale.append(e.label())
        elif compiled._catalog.get((key, 0)) != e.msgstr[0]:  # type: ignore[attr-defined]
            stale.append(e.label())
    assert stale == [], f"{len(stale)} entries differ: run compilemessages in the app directory"


# --- pages in Vietnamese -------------------------------------------------------------------


def _vi(client, url: str, *, page: bool = True) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200, url
    html = response.content.decode()
    assert not page or '<html lang="vi"' in html
    return html


def _check(html: str, *, vietnamese: list[str], english: list[str]) -> None:
    missing = [text for text in vietnamese if text not in html]
    leftover = [text for text in english if re.search(rf">\s*{re.escape(text)}\s*<", html)]
    assert missing == [] and leftover == [], (missing, leftover)


@pytest.mark.django_db
def test_home_speaks_vietnamese(world, web_client):
    html = _vi(web_client(world.rep), reverse("web:home"))
    _check(
        html,
        vietnamese=["Trang chủ", "Hồ sơ của bạn", "Nhóm của bạn", "Địa bàn"],
        english=["Home", "Your profile", "Your team", "Territory", "Role", "Reports to"],
    )


@pytest.mark.django_db
def test_pay_statements_speak_vietnamese(world, web_client):
    import_plan(world.org, [world.rep], clawback_days=90)
    order(world.rep, "2026-07-05", {"amount": 1000, "sku": "XS-400"}, external_id="SO-7001")
    run(world.org, "2026-07")
    client = web_client(world.rep)

    listing = _vi(client, reverse("motivation:pay") + "?period=2026-07")
    _check(
        listing,
        vietnamese=["Bảng kê hoa hồng", "Kế hoạch hoa hồng", "Bảng kê kỳ 2026-07", "Trạng thái"],
        english=["Pay statements", "My pay", "Commission plans", "Plan", "Status", "Total"],
    )
    page = _vi(client, reverse("motivation:statement", args=[statement(world.rep, "2026-07").pk]))
    _check(
        page,
        vietnamese=[
            "Bảng kê hoa hồng",
            "Kế hoạch hoa hồng",
            "Tỷ lệ hoàn thành",
            "Chỉ tiêu",
            "Các khoản chi trả",
            "Dòng ghi nhận doanh số",
            "Ngày đặt hàng",
        ],
        english=["Plan", "Attainment", "Quota", "Payout lines", "Credit lines", "Rate", "Print"],
    )
    # "Plan" of a commission plan is not the "schedule a check-in" verb
    assert "Lên lịch" not in page and "Tỷ giá" not in page


@pytest.mark.django_db
def test_the_opportunity_page_speaks_vietnamese(world, web_client):
    today = dt.date.today()
    import_plan(world.org, [world.rep], effective_from=f"{today.year - 1}-01-01")
    deal = OpportunityFactory(owner=world.rep, amount=D(30000), close_date=today)
    client = web_client(world.rep)
    html = _vi(client, reverse("crm:opportunity", args=[deal.pk]))
    _check(
        html,
        vietnamese=["Cơ hội bán hàng", "Giai đoạn", "Xác suất"],
        english=["Opportunities", "Stage", "Probability", "Expected close", "Amount"],
    )
    earnings = _vi(client, reverse("motivation:deal_earnings", args=[deal.pk]), page=False)
    assert "Cơ hội bán hàng này sẽ mang lại cho bạn khoảng" in earnings
    assert "This deal would earn" not in earnings


@pytest.mark.django_db
def test_the_vision_page_speaks_vietnamese(world, web_client):
    html = _vi(web_client(world.rep), reverse("direction:vision"))
    _check(
        html,
        vietnamese=["Tầm nhìn và mục tiêu"],
        english=["Vision and goals"],
    )
