"""Every string of the direction app has its Vietnamese translation, and pages use it."""

import re
from pathlib import Path

from django.urls import reverse
from django.utils import translation

import saleshelm.direction

PO = Path(saleshelm.direction.__file__).parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated():
    text = PO.read_text(encoding="utf-8")
    entries = [e for e in text.split("\n\n")[1:] if "msgid" in e]
    untranslated = []
    for entry in entries:
        body = "\n".join(line for line in entry.splitlines() if not line.startswith("#"))
        msgid = "".join(re.findall(r'"(.*)"', body.split("msgstr")[0]))
        msgstr = "".join(re.findall(r'"(.*)"', body.split("msgstr", 1)[1]))
        if not msgstr.strip():
            untranslated.append(msgid)
    assert len(entries) > 300
    assert untranslated == []
    assert "fuzzy" not in text
    assert PO.with_suffix(".mo").exists()


def test_pages_speak_vietnamese(world, web_client):
    client = web_client(world.rep)
    with translation.override("vi"):
        html = client.get(reverse("direction:vision"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Tầm nhìn và mục tiêu" in html
    assert "Phân khúc mục tiêu" in html  # the menu entry


def test_the_goal_page_links_targets_in_vietnamese(world, web_client):
    from tests.direction.factories import GoalFactory
    from tests.performance.factories import TargetFactory

    goal = GoalFactory(owner=world.director, title="Dẫn đầu bán lẻ", period="2026")
    TargetFactory(member=world.rep, period="2026", value="120000")
    client = web_client(world.director)
    with translation.override("vi"):
        html = client.get(
            reverse("direction:goal", args=[goal.pk]), HTTP_ACCEPT_LANGUAGE="vi"
        ).content.decode()
    assert "Chỉ tiêu phục vụ mục tiêu này" in html
    assert "Liên kết một chỉ tiêu của kỳ này" in html
    assert "Doanh thu · Nguyễn Văn An · 120.000" in html  # the metric's label, vi figures
