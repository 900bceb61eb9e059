"""Concurrent edits of a target lose no update (SPEC §11.5): the API's ``version`` and the
edit page's hidden (required) version are compared under a row lock by ``target_update``; a
stale write answers 409 ``stale_version`` and changes nothing."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from saleshelm.core.errors import Conflict
from saleshelm.performance.models import Target
from saleshelm.performance.services import targets as services
from tests.conftest import build_world
from tests.crm.test_concurrent_edits import THREADS, _together, form_of
from tests.performance.factories import TargetFactory


def _patch(client, path, body):
    return client.patch(path, data=json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_two_api_clients_read_a_target_and_both_write_the_second_gets_409(world, api_client):
    target = TargetFactory(member=world.rep, value=Decimal("90000"))
    path = f"/api/v1/targets/{target.pk}"
    manager, director = api_client(world.manager), api_client(world.director)
    read_m, read_d = manager.get(path).json(), director.get(path).json()
    assert read_m["version"] == read_d["version"] == 1
    first = _patch(manager, path, {"version": read_m["version"], "value": "95000"})
    assert first.status_code == 200 and first.json()["version"] == 2
    second = _patch(director, path, {"version": read_d["version"], "value": "80000"})
    assert second.status_code == 409, second.content
    assert second.json()["code"] == "stale_version"
    assert "changed since you opened it" in second.json()["message"]
    target.refresh_from_db()
    assert (target.value, target.version) == (Decimal("95000"), 2)


@pytest.mark.django_db
def test_two_people_open_the_target_edit_page_and_save_the_second_is_refused(world, web_client):
    target = TargetFactory(member=world.rep, value=Decimal("90000"))
    url = reverse("performance:target_edit", kwargs={"pk": target.pk})
    manager, director = web_client(world.manager), web_client(world.director)
    form_m, form_d = form_of(manager.get(url).content), form_of(director.get(url).content)
    assert form_m["version"] == form_d["version"] == "1"
    r = manager.post(url, {**form_m, "value": "95000"})
    assert r.status_code == 302, form_of(r.content)
    r = director.post(url, {**form_d, "value": "80000"})
    assert r.status_code == 200 and "changed since you opened it" in r.content.decode()
    target.refresh_from_db()
    assert (target.value, target.version) == (Decimal("95000"), 2)
    # the version is a required field of the page: without it nothing is written
    r = director.post(url, {k: v for k, v in form_d.items() if k != "version"} | {"value": "1"})
    assert r.status_code == 200
    target.refresh_from_db()
    assert (target.value, target.version) == (Decimal("95000"), 2)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_threads_writing_one_target_with_the_version_they_read_lose_no_update():
    world = build_world()
    target = TargetFactory(member=world.rep, value=Decimal("1000"))

    def write(n):
        return lambda: services.target_update(
            actor=world.manager,
            target=Target.objects.get(pk=target.pk),
            value=Decimal(2000 + n),
            version=1,
        )

    results = _together([write(n) for n in range(THREADS)])
    won = [r for r in results if isinstance(r, Target)]
    lost = [r for r in results if isinstance(r, Conflict)]
    assert len(won) == 1 and len(lost) == THREADS - 1, results
    fresh = Target.objects.get(pk=target.pk)
    assert fresh.version == 2 and fresh.value == won[0].value

    def add_100():
        for _ in range(50):
            current = Target.objects.get(pk=target.pk)
            try:
                return services.target_update(
                    actor=world.manager,
                    target=current,
                    value=current.value + 100,
                    version=current.version,
                )
            except Conflict:
                continue
        raise AssertionError("no write after 50 tries")

    results = _together([add_100 for _ in range(THREADS)])
    assert all(isinstance(r, Target) for r in results), results
    fresh = Target.objects.get(pk=target.pk)
    assert fresh.value == won[0].value + 100 * THREADS and fresh.version == 2 + THREADS
