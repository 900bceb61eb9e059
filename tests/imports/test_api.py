"""The imports API: start an import (multipart or JSON), read the history, export (SPEC §4, §9)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from saleshelm.crm.models import Account
from saleshelm.imports.models import ImportJob

GOOD = b"external_id,name,owner_email\nA-1,Acme,rep@acme.test\n"


def test_given_a_multipart_upload_when_posted_then_the_job_answers_with_its_counts(
    world, api_client
):
    client = api_client(world.manager)
    response = client.post(
        "/api/v1/imports", {"kind": "accounts", "file": SimpleUploadedFile("a.csv", GOOD)}
    )
    assert response.status_code == 201, response.content
    job = response.json()
    assert job["status"] == "done" and job["created"] == 1 and job["errors"] == []
    assert job["actor"] == "manager@acme.test" and job["rows"] == 1
    assert Account.objects.filter(organisation=world.org, external_id="A-1").exists()
    assert not ImportJob.objects.get(pk=job["id"]).upload  # the file is not kept


def test_given_a_bad_file_when_posted_then_the_job_is_rejected_with_every_error(world, api_client):
    client = api_client(world.admin)
    body = {"kind": "accounts", "content": "external_id,name,owner_email\nA-1,=1,x@nowhere.test\n"}
    response = client.post("/api/v1/imports", body, content_type="application/json")
    job = response.json()
    assert response.status_code == 201 and job["status"] == "rejected" and job["error_count"] == 2
    assert job["errors"][0] == {
        "row": 2,
        "column": "name",
        "value": "=1",
        "reason": "starts with '=', which a spreadsheet would run as a formula; "
        "remove it or write a quote (') before it",
    }
    assert not Account.objects.exists()


def test_given_a_dry_run_when_posted_then_nothing_is_written(world, api_client):
    client = api_client(world.admin)
    response = client.post(
        "/api/v1/imports",
        {"kind": "accounts", "dry_run": "true", "file": SimpleUploadedFile("a.csv", GOOD)},
    )
    assert response.json()["dry_run"] is True and response.json()["created"] == 1
    assert not Account.objects.exists()


def test_given_a_rep_when_posting_an_import_then_403_and_no_job(world, api_client):
    response = api_client(world.rep).post(
        "/api/v1/imports", {"kind": "accounts", "file": SimpleUploadedFile("a.csv", GOOD)}
    )
    assert response.status_code == 403 and not ImportJob.objects.exists()


def test_given_a_manager_when_importing_members_then_403(world, api_client):
    body = {"kind": "members", "content": "email,name,role,team\nx@acme.test,X,rep,North\n"}
    response = api_client(world.manager).post(
        "/api/v1/imports", body, content_type="application/json"
    )
    assert response.status_code == 403


def test_given_bad_requests_when_posted_then_400_with_a_code(world, api_client):
    client = api_client(world.admin)
    assert client.post("/api/v1/imports", {"kind": "accounts"}).json()["code"] == "required"
    unknown = client.post(
        "/api/v1/imports", {"kind": "deals", "content": "a\n"}, content_type="application/json"
    )
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_kind"


def test_given_imports_when_listed_then_each_member_sees_their_scope(world, api_client):
    for member in (world.admin, world.manager):
        api_client(member).post(
            "/api/v1/imports",
            {"kind": "accounts", "dry_run": "1", "file": SimpleUploadedFile("a.csv", GOOD)},
        )
    admin_list = api_client(world.admin).get("/api/v1/imports").json()
    assert admin_list["count"] == 2 and "errors" not in admin_list["items"][0]
    manager_list = api_client(world.manager).get("/api/v1/imports").json()
    assert manager_list["count"] == 1 and manager_list["items"][0]["actor"] == "manager@acme.test"
    assert api_client(world.viewer).get("/api/v1/imports").status_code == 403
    job_id = admin_list["items"][-1]["id"]
    assert api_client(world.admin).get(f"/api/v1/imports/{job_id}").json()["errors"] == []
    assert api_client(world.other_org_admin).get(f"/api/v1/imports/{job_id}").status_code == 404


def test_given_the_catalogue_when_read_then_kinds_columns_and_rights_are_listed(world, api_client):
    data = api_client(world.manager).get("/api/v1/imports/kinds").json()
    kinds = {k["name"]: k for k in data["kinds"]}
    assert kinds["orders"]["key"] == ["external_id", "line"] and kinds["orders"]["can_import"]
    assert not kinds["members"]["can_import"] and kinds["members"]["can_export"]
    assert {"name": "email", "type": "email", "required": True}.items() <= kinds["members"][
        "columns"
    ][0].items()
    assert data["formats"] == ["native", "hubspot", "salesforce"]


def test_given_an_export_request_when_answered_then_csv_or_xlsx_in_native_columns(
    world, api_client
):
    Account.objects.create(
        organisation=world.org, external_id="A-1", name="@SUM(1)", owner=world.rep
    )
    client = api_client(world.rep)
    csv_response = client.get("/api/v1/imports/export?kind=accounts&format=csv")
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    assert "attachment;" in csv_response["Content-Disposition"]
    assert b"A-1,'@SUM(1),rep@acme.test" in csv_response.content
    xlsx = client.get("/api/v1/imports/export?kind=accounts&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows(min_row=2))][:2] == ["A-1", "'@SUM(1)"]
    assert client.get("/api/v1/imports/export?kind=deals").status_code == 400
