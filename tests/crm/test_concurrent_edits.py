"""Concurrent edits of a deal lose no update (SPEC §11.5): every write carries the version it
read; the service compares it under a row lock; a stale write answers 409 and changes
nothing. The API takes ``version`` in the body; the edit page sends it in a hidden field,
always (a post without it is refused as stale)."""

from __future__ import annotations

import json
import threading
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.urls import reverse

from saleshelm.core.errors import Conflict
from saleshelm.crm import services
from saleshelm.crm.models import Opportunity
from tests.conftest import build_world
from tests.crm.factories import OpportunityFactory


def _patch(client, path, body):
    return client.patch(path, data=json.dumps(body), content_type="application/json")


class _Form(HTMLParser):
    """The values a browser would submit for the page's form (inputs, selects, textareas)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if a.get("type") in {"radio", "checkbox"}:
                if "checked" in a:
                    self.data[name] = a.get("value") or "on"
            else:
                self.data[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_of(page: bytes) -> dict[str, str]:
    parser = _Form()
    parser.feed(page.decode())
    return parser.data


@pytest.mark.django_db
def test_two_api_clients_read_a_deal_and_both_write_the_second_gets_409(world, api_client):
    opp = OpportunityFactory(owner=world.rep)
    path = f"/api/v1/opportunities/{opp.pk}"
    rep, manager = api_client(world.rep), api_client(world.manager)
    read_rep, read_manager = rep.get(path).json(), manager.get(path).json()
    assert read_rep["version"] == read_manager["version"] == 1
    first = _patch(rep, path, {"version": read_rep["version"], "amount": "1500"})
    assert first.status_code == 200 and first.json()["version"] == 2
    second = _patch(manager, path, {"version": read_manager["version"], "next_step": "Call"})
    assert second.status_code == 409, second.content
    body = second.json()
    assert body["code"] == "version_conflict" and body["version"] == 2
    assert "changed by someone else" in body["message"]
    opp.refresh_from_db()
    assert (opp.amount, opp.next_step, opp.version) == (Decimal("1500"), "", 2)
    # the manager reads again and writes: both changes are kept
    again = _patch(manager, path, {"version": 2, "next_step": "Call"})
    assert again.status_code == 200
    opp.refresh_from_db()
    assert (opp.amount, opp.next_step, opp.version) == (Decimal("1500"), "Call", 3)


@pytest.mark.django_db
def test_two_people_open_the_deal_edit_page_and_save_the_second_is_refused(world, web_client):
    opp = OpportunityFactory(owner=world.rep)
    url = reverse("crm:opportunity_edit", kwargs={"pk": opp.pk})
    rep, manager = web_client(world.rep), web_client(world.manager)
    rep_form, manager_form = form_of(rep.get(url).content), form_of(manager.get(url).content)
    assert rep_form["version"] == manager_form["version"] == "1"
    r = rep.post(url, {**rep_form, "amount": "1500"})
    assert r.status_code == 302, form_of(r.content)
    r = manager.post(url, {**manager_form, "name": "Renamed by the manager"})
    assert r.status_code == 200
    assert "changed by someone else" in r.content.decode()
    opp.refresh_from_db()
    assert (opp.amount, opp.name, opp.version) == (Decimal("1500"), rep_form["name"], 2)
    # a post without the version is refused too: the page always sends it
    no_version = {k: v for k, v in manager_form.items() if k != "version"}
    r = manager.post(url, {**no_version, "name": "Renamed by the manager"})
    assert r.status_code == 200 and "changed by someone else" in r.content.decode()
    opp.refresh_from_db()
    assert opp.name == rep_form["name"] and opp.version == 2


THREADS = 6


def _together(jobs):
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def work(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_threads_writing_one_deal_with_the_version_they_read_lose_no_update():
    world = build_world()
    opp = OpportunityFactory(owner=world.rep, amount=Decimal("1000"))

    # Every thread writes with version 1: exactly one wins, the others get the conflict.
    def write(n):
        return lambda: services.opportunity_update(
            actor=world.manager,
            opportunity=Opportunity.objects.get(pk=opp.pk),
            version=1,
            next_step=f"step {n}",
        )

    results = _together([write(n) for n in range(THREADS)])
    won = [r for r in results if isinstance(r, Opportunity)]
    lost = [r for r in results if isinstance(r, Conflict)]
    assert len(won) == 1 and len(lost) == THREADS - 1, results
    assert all(c.code == "version_conflict" for c in lost)
    fresh = Opportunity.objects.get(pk=opp.pk)
    assert fresh.version == 2 and fresh.next_step == won[0].next_step

    # Read-modify-write with a retry on conflict: each thread adds 100; none is lost.
    def add_100():
        for _ in range(50):
            current = Opportunity.objects.get(pk=opp.pk)
            try:
                return services.opportunity_update(
                    actor=world.manager,
                    opportunity=current,
                    version=current.version,
                    amount=current.amount + 100,
                )
            except Conflict:
                continue
        raise AssertionError("no write after 50 tries")

    results = _together([add_100 for _ in range(THREADS)])
    assert all(isinstance(r, Opportunity) for r in results), results
    fresh = Opportunity.objects.get(pk=opp.pk)
    assert fresh.amount == Decimal("1000") + 100 * THREADS
    assert fresh.version == 2 + THREADS
