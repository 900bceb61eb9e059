"""Imports and exports in the authorization matrix.

Import jobs follow the team tree of the member who ran them: admins and directors read every
job of the organisation, a manager the jobs of the members they see; reps, finance and
viewers read none (403 on what they can see, 404 on the rest). Only the uploader continues a
draft (mapping, preview, run): nobody else, whatever the role. Exports and templates are open
to every member (each export is scoped to what the member sees).
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.authz.framework import ALL, NONE, RECORDS, Rule

JOB_READERS = frozenset({"admin", "director", "manager"})
CRM_IMPORTERS = frozenset({"admin", "director", "manager"})
STRUCTURE = frozenset({"admin", "director"})
_n = iter(range(10**9))


def _jobs(w):
    from saleshelm.imports.models import ImportJob, JobStatus

    def job(member, status=JobStatus.DONE):
        return ImportJob.objects.create(
            organisation_id=member.organisation_id,
            actor=member,
            actor_label=member.user.email,
            kind="accounts",
            filename="accounts.csv",
            status=status,
            dry_run=True,
        )

    return {
        "own": job(w.rep),
        "same_team": job(w.peer),
        "other_team": job(w.other_rep),
        "other_org": job(w.other_org_rep),
    }


def _accounts_json(w, o):
    n = next(_n)
    return {
        "kind": "accounts",
        "dry_run": False,
        "filename": "a.csv",
        "content": f"external_id,name,owner_email\nM-{n},Matrix {n},rep@acme.test\n",
    }


def _members_json(w, o):
    n = next(_n)
    return {
        "kind": "members",
        "content": f"email,name,role,team\nnew{n}@acme.test,Matrix {n},rep,North\n",
    }


def _upload(w, o):
    n = next(_n)
    data = f"external_id,name\nU-{n},Upload {n}\n".encode()
    return {"kind": "accounts", "format": "native", "file": SimpleUploadedFile("a.csv", data)}


OBJECTS = {"import_job": _jobs}
RULES = [
    Rule("GET /api/v1/imports", roles=JOB_READERS),
    Rule("GET /api/v1/imports/{id}", obj="import_job", scope=RECORDS, roles=JOB_READERS),
    Rule("GET /api/v1/imports/kinds", roles=ALL),
    Rule("GET /api/v1/imports/export", roles=ALL, notes="members by default: the directory"),
    Rule("POST /api/v1/imports", roles=CRM_IMPORTERS, payload=_accounts_json),
    Rule(
        "POST /api/v1/imports",
        roles=STRUCTURE,
        payload=_members_json,
        notes="members: admins and directors only (a director's new member is a row error)",
    ),
    Rule("imports:index", roles=JOB_READERS),
    Rule("imports:upload", roles=CRM_IMPORTERS),
    Rule("imports:upload", roles=CRM_IMPORTERS, method="POST", payload=_upload, ok=(302,)),
    Rule(
        "imports:job",
        obj="import_job",
        scope=RECORDS,
        roles=JOB_READERS,
        kwargs=lambda o: {"pk": o.pk},
    ),
    Rule(
        "imports:mapping",
        obj="import_job",
        scope=RECORDS,
        roles=NONE,
        kwargs=lambda o: {"pk": o.pk},
        notes="only the uploader continues a draft",
    ),
    Rule(
        "imports:mapping",
        obj="import_job",
        scope=RECORDS,
        roles=NONE,
        method="POST",
        kwargs=lambda o: {"pk": o.pk},
        payload=lambda w, o: {"col_0": "external_id"},
    ),
    Rule(
        "imports:preview",
        obj="import_job",
        scope=RECORDS,
        roles=NONE,
        kwargs=lambda o: {"pk": o.pk},
    ),
    Rule(
        "imports:preview",
        obj="import_job",
        scope=RECORDS,
        roles=NONE,
        method="POST",
        kwargs=lambda o: {"pk": o.pk},
    ),
    Rule("imports:export", roles=ALL),
    Rule("imports:template", roles=ALL, kwargs=lambda o: {"kind": "accounts"}),
]
