"""API: the ``imports`` collection (history, counts and errors; start an import) and exports
in the native columns of each kind (SPEC §4, §9)."""

import base64
import binascii
import datetime as dt
import io
import json
from decimal import Decimal
from typing import Literal

from django.core.files.uploadedfile import UploadedFile
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from saleshelm.api.pagination import LimitOffsetPagination
from saleshelm.api.schemas import ERRORS
from saleshelm.core.errors import ApplicationError, PermissionDenied
from saleshelm.imports import selectors, services
from saleshelm.imports.exporting import CONTENT_TYPES, csv_response, export_rows, xlsx_response
from saleshelm.imports.kinds import all_kinds, get_kind
from saleshelm.imports.models import FileFormat, ImportJob
from saleshelm.imports.permissions import can_export, can_import, can_import_anything

router = Router(tags=["imports"])

MAX_JSON_CONTENT = 2 * 1024 * 1024


class ImportErrorOut(Schema):
    row: int
    column: str
    value: str
    reason: str


class ImportJobSummaryOut(Schema):
    id: int
    kind: str
    format: str
    filename: str
    file_type: str
    status: str
    dry_run: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    error_count: int
    actor: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    duration_ms: int | None

    @staticmethod
    def resolve_rows(job: ImportJob) -> int:
        return job.rows_processed

    @staticmethod
    def resolve_actor(job: ImportJob) -> str:
        return job.actor.user.email if job.actor is not None else job.actor_label

    @staticmethod
    def resolve_duration_ms(job: ImportJob) -> int | None:
        seconds = job.duration_seconds
        return None if seconds is None else int(seconds * 1000)


class ImportJobOut(ImportJobSummaryOut):
    errors: list[ImportErrorOut]
    warnings: list[str]
    message: str
    encoding: str
    delimiter: str


class ColumnOut(Schema):
    name: str
    type: str
    required: bool
    help: str
    example: str


class KindOut(Schema):
    name: str
    label: str
    key: list[str]
    columns: list[ColumnOut]
    can_import: bool
    can_export: bool


class CatalogueOut(Schema):
    kinds: list[KindOut]
    formats: list[str]


class ImportJsonIn(Schema):
    """For scripts: the file's text inline (``content``) or base64 (``content_base64``)."""

    kind: str
    format: str = "native"
    dry_run: bool = False
    filename: str = "import.csv"
    content: str | None = None
    content_base64: str | None = None


_UPLOAD_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "kind"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "kind": {"type": "string"},
                        "format": {"type": "string", "enum": ["native", "hubspot", "salesforce"]},
                        "dry_run": {"type": "boolean"},
                    },
                }
            },
            "application/json": {"schema": ImportJsonIn.model_json_schema()},
        },
    }
}


def _bool(value) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def _read_request(request) -> tuple[str, str, bool, str, object]:
    """``(kind, format, dry_run, filename, file)`` from a multipart upload or a JSON body."""
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("multipart/form-data"):
        upload: UploadedFile | None = request.FILES.get("file")
        if upload is None:
            raise ApplicationError("file is required", field="file", code="required")
        return (
            request.POST.get("kind", ""),
            request.POST.get("format", "native") or "native",
            _bool(request.POST.get("dry_run", "")),
            upload.name or "upload",
            upload,
        )
    try:
        data = ImportJsonIn(**json.loads(request.body or b"{}", parse_float=Decimal))
    except (ValueError, TypeError) as exc:
        raise ApplicationError(
            "send a multipart form with a file, or JSON with kind and content",
            code="invalid",
        ) from exc
    if data.content_base64 is not None:
        try:
            raw = base64.b64decode(data.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ApplicationError("content_base64 is not base64", field="content_base64") from None
    elif data.content is not None:
        raw = data.content.encode("utf-8")
    else:
        raise ApplicationError("content is required", field="content", code="required")
    if len(raw) > MAX_JSON_CONTENT:
        raise ApplicationError(
            "inline content is limited to 2 MB; upload a larger file as multipart",
            field="content",
            code="too_large",
        )
    stream = io.BytesIO(raw)
    stream.size = len(raw)  # type: ignore[attr-defined]
    return data.kind, data.format or "native", data.dry_run, data.filename[:255], stream


@router.get("/imports/kinds", response={200: CatalogueOut, **ERRORS})
def import_catalogue(request):
    """Every kind with its native columns, and what the caller may do with it."""
    actor = request.auth
    kinds = [
        {
            "name": k.name,
            "label": str(k.label),
            "key": list(k.key),
            "columns": [
                {
                    "name": c.name,
                    "type": c.type,
                    "required": c.required,
                    "help": str(c.help),
                    "example": c.example,
                }
                for c in k.columns
            ],
            "can_import": can_import(actor=actor, kind=k),
            "can_export": can_export(actor=actor, kind=k),
        }
        for k in all_kinds().values()
    ]
    return {"kinds": kinds, "formats": [f for f in FileFormat.values if f != FileFormat.MAPPED]}


_EXPORT_DOC = {
    "responses": {
        200: {
            "description": "The records in the kind's native import columns.",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                CONTENT_TYPES["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
            },
        }
    }
}


class ExportQuery(Schema):
    kind: str = "members"
    format: Literal["csv", "xlsx"] = "csv"


@router.get("/imports/export", response={**ERRORS}, openapi_extra=_EXPORT_DOC)
def export_records(request, query: Query[ExportQuery]):
    """Download the records of a kind that the caller can see, in its native import columns
    (no cell can start a spreadsheet formula)."""
    header, rows = export_rows(actor=request.auth, kind=query.kind)
    kind = get_kind(query.kind).name
    name = f"{kind}-{dt.date.today().isoformat()}.{query.format}"
    if query.format == "xlsx":
        return xlsx_response(header, rows, name, kind)
    return csv_response(header, rows, name)


@router.get("/imports", response=list[ImportJobSummaryOut])
@paginate(LimitOffsetPagination)
def list_imports(request, kind: str | None = None):
    """The history of imports the caller may see, newest first."""
    return selectors.import_job_list(actor=request.auth, kind=kind)


@router.get("/imports/{id}", response={200: ImportJobOut, **ERRORS})
def get_import(request, id: int):
    """One import with its counts, warnings and errors (row, column, value, reason)."""
    return selectors.access_import_job(actor=request.auth, id=id)


@router.post("/imports", response={201: ImportJobOut, **ERRORS}, openapi_extra=_UPLOAD_DOC)
def create_import(request):
    """Import a file: multipart ``file`` + ``kind`` + ``format`` + ``dry_run``, or JSON with
    the file's text in ``content``. Answers the import job: ``done`` with its counts,
    ``rejected`` with every error (nothing written), or ``queued`` for a large file."""
    actor = request.auth
    if not can_import_anything(actor=actor):
        raise PermissionDenied("Your role may not import.")
    kind, fmt, dry_run, filename, file = _read_request(request)
    job = services.import_job_create(
        actor=actor, file=file, filename=filename, kind=kind, format=fmt, dry_run=dry_run
    )
    job = services.import_job_start(actor=actor, job=job, dry_run=dry_run)
    return Status(201, selectors.access_import_job(actor=actor, id=job.pk))
