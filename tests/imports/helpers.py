"""Small helpers for the import tests: run the engine on text, find the sample files."""

from __future__ import annotations

import io
from pathlib import Path

from saleshelm.imports.engine import ImportResult, run_import

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


def data(text: str | bytes, encoding: str = "utf-8") -> io.BytesIO:
    raw = text if isinstance(text, bytes) else text.encode(encoding)
    stream = io.BytesIO(raw)
    stream.size = len(raw)  # type: ignore[attr-defined]
    return stream


def run(actor, kind: str, text: str | bytes, **kwargs) -> ImportResult:
    return run_import(actor=actor, file=data(text), kind=kind, **kwargs)


def run_sample(actor, kind: str, name: str, **kwargs) -> ImportResult:
    with (SAMPLES / name).open("rb") as fh:
        return run_import(actor=actor, file=fh, kind=kind, filename=name, **kwargs)


def errors_of(result: ImportResult) -> list[tuple[int, str, str]]:
    return [(e["row"], e["column"], e["reason"]) for e in result.errors]


def csv_text(header: str, *rows: str) -> str:
    return "\n".join([header, *rows]) + "\n"


def cp1258(text: str) -> bytes:
    """Text as Windows writes it in cp1258: letters with circumflex, breve or horn are
    precomposed, tone marks are combining characters after them."""
    import unicodedata

    keep = "\u0302\u0306\u031b"
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = parts[0] + "".join(m for m in parts[1:] if m in keep)
        out.append(
            unicodedata.normalize("NFC", base) + "".join(m for m in parts[1:] if m not in keep)
        )
    return "".join(out).encode("cp1258")
