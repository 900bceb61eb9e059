"""No English left on a Vietnamese page (issue 9, SPEC §9).

A Vietnamese retail firm is seeded the way `make demo` seeds Sao Mai; each role then walks
every page it can reach by following the links (and htmx fragments) of the pages before, from
home, reading them in Vietnamese. Any text a person would read — including titles, labels and
placeholders — that holds an English word of the interface fails the test, with the page named.
How English is told from Vietnamese (and from a customer's English name) is in `vi_check`.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict

import pytest

from saleshelm.core.seeding import SeedOptions, seed_organisation
from tests.conftest import PASSWORD, web_client_for
from tests.web.vi_check import english_runs, english_words

pytestmark = pytest.mark.django_db

ROLES = ("director", "manager", "rep", "finance", "admin")
LOGINS = {role: f"{role}@saomai.test" for role in (*ROLES, "viewer")}
LINK = re.compile(r'(?:href|hx-get)="(/[^"#]*)"')
NOT_PAGES = ("/static/", "/api/", "/admin/", "/logout/", "/i18n/", "/exports/")
PER_PATTERN = 1  # pages of one shape (same URL but for the ids) read per role
MAX_PAGES = 400


@pytest.fixture
def sao_mai(db):
    return seed_organisation(
        SeedOptions(
            org="sao-mai",
            name="Công ty TNHH Bán lẻ Sao Mai",
            currency="VND",
            locale="vi",
            reps=5,
            months=4,
            orders=400,
            activities=400,
            seed=84,
            logins=dict(LOGINS),
            password=PASSWORD,
        )
    ).organisation


def _crawl(client) -> tuple[dict[str, set[str]], int]:
    found: dict[str, set[str]] = defaultdict(set)
    seen: set[str] = set()
    shapes: Counter[str] = Counter()
    queue, read = ["/"], 0
    while queue and read < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        shape = re.sub(r"\d+", "N", url)
        shapes[shape] += 1
        if shapes[shape] > PER_PATTERN:
            continue
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
        assert response.status_code < 500, url
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        read += 1
        body = response.content.decode()
        for text in english_runs(body):
            found[text].add(url)
        for link in LINK.findall(body):
            link = html.unescape(link)
            if not link.startswith(NOT_PAGES) and "export" not in link and link not in seen:
                queue.append(link)
    return found, read


@pytest.mark.parametrize("role", ROLES)
def test_no_english_is_left_on_a_vietnamese_page(sao_mai, role):
    membership = sao_mai.memberships.get(user__email=LOGINS[role])
    found, read = _crawl(web_client_for(membership))
    assert read > 40, f"only {read} pages reached"
    report = [
        f"{text!r} ({', '.join(english_words(text))}) on {sorted(urls)[0]}"
        + (f" and {len(urls) - 1} more" if len(urls) > 1 else "")
        for text, urls in sorted(found.items())
    ]
    assert report == [], "\n".join(report)


def test_the_check_finds_english_and_spares_vietnamese_and_names():
    page = (
        '<html lang="vi"><head><title>Cơ hội · SalesHelm</title></head><body>'
        "<h1>Cơ hội</h1><p>Closed won</p>"
        '<input placeholder="Search deals">'
        "<p>Công ty TNHH Bán lẻ Hoàng Long</p><p>Golden Gate Retail Group</p>"
        '<button lang="en">English</button><code>email_domain</code>'
        "<script>var label = 'Closed won';</script></body></html>"
    )
    assert english_runs(page) == ["Closed won", "Search deals"]
