"""Import and export pages: upload → map the columns → preview with the dry-run's errors →
import; the history of imports; exports in the native columns (SPEC §4).

The pages call the same services and selectors as the API and the CLI. Only the person who
uploaded a file continues its import; everyone allowed sees the result afterwards.
"""

from __future__ import annotations

import datetime as dt
import functools
from itertools import islice

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from saleshelm.core.errors import ApplicationError, NotFound, PermissionDenied
from saleshelm.imports import selectors, services
from saleshelm.imports.engine import build_plan
from saleshelm.imports.exporting import (
    CONTENT_TYPES,
    csv_chunks,
    csv_response,
    export_rows,
    xlsx_response,
)
from saleshelm.imports.forms import ExportForm, MappingForm, UploadForm, suggest_mapping
from saleshelm.imports.kinds import all_kinds, get_kind
from saleshelm.imports.models import FileFormat, ImportJob, JobStatus
from saleshelm.imports.permissions import can_import, can_import_anything, can_read_jobs
from saleshelm.imports.reading import open_table
from saleshelm.web.access import deny, member_required

PREVIEW_ROWS = 10
ERRORS_SHOWN = 500


def _refusals(view):
    """Business refusals become the site's 403 / 404 pages."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            deny(request)
        except NotFound:
            raise Http404 from None

    return wrapper


def _own_job(request, pk: int) -> ImportJob:
    """An import the current member uploaded (others' drafts are not theirs to run)."""
    job = selectors.access_import_job(actor=request.membership, id=pk)
    if job.actor_id != request.membership.pk or not can_import(
        actor=request.membership, kind=get_kind(job.kind)
    ):
        deny(request, reason="not the uploader")
    return job


def _peek(job: ImportJob, n: int = 5) -> tuple[list[str], list[list[str]]]:
    with job.upload.open("rb") as fh:
        table = open_table(fh, job.filename)
        try:
            return table.headers, [cells for _number, cells in islice(table.rows, n)]
        finally:
            table.close()


def _preview(job: ImportJob) -> tuple[list[str], list[list[str]]]:
    """The first rows as they will be read: native columns and the text each gets."""
    kind = get_kind(job.kind)
    with job.upload.open("rb") as fh:
        table = open_table(fh, job.filename)
        try:
            fmt = "mapped" if job.format == FileFormat.MAPPED else job.format
            plan = build_plan(kind, table, fmt, job.mapping or None)
            columns = [s.column for s in plan.sources]
            rows = []
            for _number, cells in table.rows:
                if plan.skip_row is not None and plan.skip_row(cells):
                    continue
                row = []
                for s in plan.sources:
                    texts = [cells[i] for i in s.indexes]
                    try:
                        row.append(s.convert(*texts) if s.convert else texts[0])
                    except Exception:  # a bad cell: shown as it is, the errors explain it
                        row.append(texts[0])
                rows.append(row)
                if len(rows) >= PREVIEW_ROWS:
                    break
            return columns, rows
        finally:
            table.close()


@member_required
@_refusals
def index(request):
    actor = request.membership
    if not can_read_jobs(actor=actor):
        deny(request)
    page = Paginator(selectors.import_job_list(actor=actor), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/index.html",
        {
            "page_obj": page,
            "can_upload": can_import_anything(actor=actor),
        },
    )


@member_required
@_refusals
def upload(request):
    actor = request.membership
    if not can_import_anything(actor=actor):
        deny(request)
    # ``?kind=members`` preselects what the file holds (the Get started checklist links here).
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        actor=actor,
        initial={"kind": request.GET.get("kind", "")},
    )
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        fmt = form.cleaned_data["format"]
        try:
            job = services.import_job_create(
                actor=actor,
                file=file,
                filename=file.name,
                kind=form.cleaned_data["kind"],
                format=fmt,
                dry_run=True,
                draft=True,
            )
            if fmt == FileFormat.NATIVE:
                _peek(job, 1)  # an unreadable file is said here, not on the next page
                return redirect("imports:mapping", pk=job.pk)
            services.import_job_start(actor=actor, job=job, dry_run=True, keep_file=True)
            return redirect("imports:preview", pk=job.pk)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    kinds = [k for k in all_kinds().values() if can_import(actor=actor, kind=k)]
    return render(request, "imports/upload.html", {"form": form, "kinds": kinds})


@member_required
@_refusals
def mapping(request, pk: int):
    actor = request.membership
    job = _own_job(request, pk)
    if not job.upload:
        return redirect("imports:job", pk=job.pk)
    kind = get_kind(job.kind)
    try:
        headers, samples = _peek(job)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("imports:upload")
    initial = job.mapping or suggest_mapping(kind, headers)
    form = MappingForm(
        request.POST or None, kind=kind, headers=headers, samples=samples, initial_mapping=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.import_job_set_mapping(actor=actor, job=job, mapping=form.mapping())
            services.import_job_start(actor=actor, job=job, dry_run=True, keep_file=True)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("imports:preview", pk=job.pk)
    return render(request, "imports/mapping.html", {"job": job, "kind": kind, "form": form})


@member_required
@_refusals
def preview(request, pk: int):
    actor = request.membership
    job = _own_job(request, pk)
    if request.method == "POST":
        ready = job.upload and job.dry_run and job.status == JobStatus.DONE
        if not ready:
            messages.error(request, _("This file cannot be imported as it is; see the errors."))
            return redirect("imports:preview", pk=job.pk)
        try:
            job = services.import_job_start(actor=actor, job=job, dry_run=False)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("imports:preview", pk=job.pk)
        return redirect("imports:job", pk=job.pk)
    if not job.upload:
        return redirect("imports:job", pk=job.pk)
    columns: list[str] = []
    rows: list[list[str]] = []
    if job.status in (JobStatus.DONE, JobStatus.REJECTED):
        try:
            columns, rows = _preview(job)
        except ApplicationError:
            columns, rows = [], []
    return render(
        request,
        "imports/preview.html",
        {
            "job": job,
            "kind": get_kind(job.kind),
            "columns": columns,
            "rows": rows,
            "errors": job.errors[:ERRORS_SHOWN],
        },
    )


@member_required
@_refusals
def job_detail(request, pk: int):
    job = selectors.access_import_job(actor=request.membership, id=pk)
    return render(
        request,
        "imports/job.html",
        {
            "job": job,
            "kind_label": _kind_label(job.kind),
            "errors": job.errors[:ERRORS_SHOWN],
            "is_mine": job.actor_id == request.membership.pk,
        },
    )


def _kind_label(name: str) -> str:
    try:
        return str(get_kind(name).label)
    except ApplicationError:
        return name


def _download(header, rows, kind: str, fmt: str):
    name = f"{kind}-{dt.date.today().isoformat()}.{fmt}"
    if fmt == "xlsx":
        return xlsx_response(header, rows, name, kind)
    return csv_response(header, rows, name)


@member_required
@_refusals
def export(request):
    actor = request.membership
    form = ExportForm(request.GET if "kind" in request.GET else None, actor=actor)
    if form.is_bound and form.is_valid():
        kind, fmt = form.cleaned_data["kind"], form.cleaned_data["format"]
        header, rows = export_rows(actor=actor, kind=kind)
        return _download(header, rows, kind, fmt)
    return render(request, "imports/export.html", {"form": form})


@member_required
@_refusals
def template(request, kind: str):
    """A CSV with a kind's native columns and one example row, to fill in."""
    try:
        the_kind = get_kind(kind)
    except ApplicationError:
        raise Http404 from None
    columns = list(the_kind.columns)
    example = [c.example for c in columns]
    data = b"".join(csv_chunks([c.name for c in columns], [example]))
    response = HttpResponse(data, content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="{the_kind.name}-template.csv"'
    return response
