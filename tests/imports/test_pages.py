"""The import pages: upload → match the columns → check → import; export; templates."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saleshelm.crm.models import Account
from saleshelm.imports.models import ImportJob
from tests.imports.helpers import SAMPLES, cp1258

# Another tool's export: other column names, semicolons, Windows Vietnamese encoding.
OTHER_TOOL = cp1258(
    "Ref;Company;Owner e-mail;Sector;Staff\n"
    "A-1;Công ty Minh Phát;rep@acme.test;Retail;120\n"
    "A-2;Saigon Logistics;;Logistics;800\n"
)


def _upload(client, content: bytes, kind="accounts", fmt="native", name="file.csv"):
    return client.post(
        reverse("imports:upload"),
        {"kind": kind, "format": fmt, "file": SimpleUploadedFile(name, content)},
    )


def test_given_another_tools_file_when_mapped_checked_and_imported_then_the_accounts_exist(
    world, web_client
):
    client = web_client(world.manager)
    # Upload: a file whose columns have other names goes to the mapping page
    response = _upload(client, OTHER_TOOL)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "imports:mapping", args=[job.pk]
    )
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Owner e-mail" in html and "rep@acme.test" in html  # the header and its first value
    assert '<option value="owner_email" selected>' in html  # pre-filled by a close spelling
    # Map the other columns by hand and check the file (a dry run)
    response = client.post(
        page.request["PATH_INFO"],
        {
            "col_0": "external_id",
            "col_1": "name",
            "col_2": "owner_email",
            "col_3": "industry",
            "col_4": "employees",
        },
    )
    assert response["Location"] == reverse("imports:preview", args=[job.pk])
    preview = client.get(response["Location"])
    assert preview.status_code == 200 and "Would be created" in preview.content.decode()
    assert not Account.objects.exists()  # nothing written yet
    assert "Saigon Logistics" in preview.content.decode()  # first rows as read
    # Import
    response = client.post(reverse("imports:preview", args=[job.pk]))
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    assert Account.objects.filter(organisation=world.org).count() == 2
    assert Account.objects.get(external_id="A-1").employees == 120
    job.refresh_from_db()
    assert job.status == "done" and not job.dry_run and job.created == 2 and not job.upload
    assert Account.objects.get(external_id="A-1").name == "Công ty Minh Phát"
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 200
    assert "file.csv" in client.get(reverse("imports:index")).content.decode()


def test_given_a_mapping_without_a_required_column_when_posted_then_the_form_says_which(
    world, web_client
):
    client = web_client(world.admin)
    _upload(client, OTHER_TOOL)
    job = ImportJob.objects.get()
    response = client.post(
        reverse("imports:mapping", args=[job.pk]), {"col_1": "name", "col_2": "name"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose a column for: external_id." in html
    assert "name is already filled from Company." in html


def test_given_a_bad_file_when_checked_then_the_preview_lists_row_column_value_reason(
    world, web_client
):
    client = web_client(world.admin)
    _upload(client, b"external_id,name,owner_email\nA-1,+cmd,\nA-2,Fine,ghost@acme.test\n")
    job = ImportJob.objects.get()
    client.post(
        reverse("imports:mapping", args=[job.pk]),
        {"col_0": "external_id", "col_1": "name", "col_2": "owner_email"},
    )
    html = client.get(reverse("imports:preview", args=[job.pk])).content.decode()
    assert "2 problems in the file" in html and "+cmd" in html and "ghost@acme.test" in html
    assert "no active member of this organisation has this email" in html
    response = client.post(reverse("imports:preview", args=[job.pk]))  # importing is refused
    assert response.status_code == 302 and not Account.objects.exists()


def test_given_a_hubspot_export_when_uploaded_then_it_is_checked_without_mapping(world, web_client):
    client = web_client(world.admin)
    companies = (
        (SAMPLES / "hubspot-companies.csv")
        .read_bytes()
        .replace("Nguyễn Văn An".encode(), b"Tran Thi Binh")
        .replace("Hoàng Minh Đức".encode(), b"")
        .replace(b"Sarah Jones", b"")
    )
    response = _upload(client, companies, fmt="hubspot")
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:preview", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Read as a HubSpot companies export." in page
    client.post(reverse("imports:preview", args=[job.pk]))
    assert Account.objects.get(external_id="8400123456").owner == world.peer


def test_given_someone_elses_draft_when_opened_then_403(world, web_client):
    _upload(web_client(world.manager), OTHER_TOOL)
    job = ImportJob.objects.get()
    admin = web_client(world.admin)
    assert admin.get(reverse("imports:mapping", args=[job.pk])).status_code == 403
    assert admin.get(reverse("imports:job", args=[job.pk])).status_code == 200
    assert (
        web_client(world.other_org_admin).get(reverse("imports:job", args=[job.pk])).status_code
        == 404
    )


def test_given_a_rep_when_opening_the_upload_page_then_403_and_the_export_page_works(
    world, web_client
):
    client = web_client(world.rep)
    assert client.get(reverse("imports:upload")).status_code == 403
    page = client.get(reverse("imports:export"))
    assert page.status_code == 200 and "Download" in page.content.decode()
    download = client.get(reverse("imports:export"), {"kind": "members", "format": "csv"})
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"rep@acme.test" in download.content and b"@beta.test" not in download.content


def test_given_a_template_when_downloaded_then_it_imports_as_is(world, web_client):
    import io

    from saleshelm.imports.engine import run_import

    response = web_client(world.viewer).get(reverse("imports:template", args=["accounts"]))
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").startswith(
        "external_id,name,owner_email,owner_name,"
    )
    content = response.content.replace(b"an.nguyen@example.com", b"rep@acme.test").replace(
        "Nguyễn Văn An".encode(), b""
    )
    assert run_import(actor=world.admin, file=io.BytesIO(content), kind="accounts").ok
