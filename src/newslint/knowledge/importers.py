"""Importers: read fact-checks and narratives from public formats into knowledge records.

Formats (``FORMATS``):

* ``claimreview`` — schema.org ClaimReview JSON/JSON-LD (one object, a list, an ``@graph``) or
  the Google Fact Check Tools API shape (``{"claims": [{"text", "claimant", "claimDate",
  "claimReview": [{"publisher": {"name"}, "url", "title", "reviewDate", "textualRating"}]}]}``);
  JSON Lines files (one object per line) too.
* ``checkthat`` — the CLEF CheckThat! verified-claims TSV (``vclaim_id, vclaim, title``).
* ``euvsdisinfo`` — EUvsDisinfo CSV dumps: the case list with ``date,id,title,...`` (case URL
  and title) and the scraped cases with ``title, summary, disproof`` columns.
* ``voxcheck`` — VoxCheck "Propaganda Diary" JSON: cases grouped into narratives.
* ``yaml`` — our own pack format (:mod:`newslint.knowledge.packs`).

Every importer returns an :class:`ImportBatch`: the records it could read and one problem line
per bad row (with its line number or item path); bad rows are skipped, never half-imported.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from newslint.errors import InputError
from newslint.knowledge.packs import Record, load_pack
from newslint.knowledge.types import EntryKind, FactCheck, Narrative, Source

__all__ = ["FORMATS", "ImportBatch", "read_file", "slugify"]

_SPACE = re.compile(r"\s+")
_SLUG = re.compile(r"[^a-z0-9]+")
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class ImportBatch:
    """Records read from one file, the problems met, and a suggested source name."""

    records: tuple[tuple[EntryKind, Record], ...]
    problems: tuple[str, ...]
    default_source: str


def slugify(text: str, max_len: int = 60) -> str:
    slug = _SLUG.sub("-", text.lower()).strip("-")
    return slug[:max_len].rstrip("-") or "item"


def _clean(text: Any) -> str:
    return _SPACE.sub(" ", str(text)).strip() if text is not None else ""


def _short_hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc.__class__.__name__})") from None


# --- ClaimReview ------------------------------------------------------------------------------


def _name_of(value: Any) -> str | None:
    if isinstance(value, Mapping):
        name = value.get("name") or value.get("site") or value.get("url")
        return _clean(name) or None
    if isinstance(value, list) and value:
        return _name_of(value[0])
    if isinstance(value, str):
        return _clean(value) or None
    return None


def _rating_of(value: Any) -> str | None:
    if isinstance(value, Mapping):
        for key in ("alternateName", "name", "ratingExplanation", "ratingValue"):
            if value.get(key) not in (None, ""):
                return _clean(value[key])
    if isinstance(value, str):
        return _clean(value) or None
    return None


def _date_of(value: Any) -> str | None:
    text = _clean(value)
    return text[:10] if text else None


def _claimreview_record(obj: Mapping[str, Any], where: str) -> FactCheck:
    claim = _clean(obj.get("claimReviewed"))
    if not claim:
        raise ValueError(f"{where}: ClaimReview without 'claimReviewed'")
    item = obj.get("itemReviewed")
    claimant = None
    date = None
    if isinstance(item, Mapping):
        claimant = _name_of(item.get("author"))
        date = _date_of(item.get("datePublished"))
    url = _clean(obj.get("url")) or None
    rid = _clean(obj.get("identifier")) or f"cr-{_short_hash(url or '', claim)}"
    return FactCheck(
        id=rid,
        claim=claim,
        rating=_rating_of(obj.get("reviewRating")),
        claimant=claimant,
        reviewer=_name_of(obj.get("author")) or _name_of(obj.get("publisher")),
        date=_date_of(obj.get("datePublished")) or date,
        url=url,
        title=_clean(obj.get("name") or obj.get("headline")) or None,
    )


def _google_records(claim: Mapping[str, Any], where: str) -> Iterator[FactCheck | str]:
    text = _clean(claim.get("text"))
    reviews = claim.get("claimReview")
    if not text:
        yield f"{where}: claim without 'text'; skipped"
        return
    if not isinstance(reviews, list) or not reviews:
        yield f"{where}: claim without 'claimReview'; skipped"
        return
    for j, review in enumerate(reviews):
        if not isinstance(review, Mapping):
            yield f"{where}.claimReview[{j}]: not an object; skipped"
            continue
        url = _clean(review.get("url")) or None
        yield FactCheck(
            id=f"cr-{_short_hash(url or '', text)}",
            claim=text,
            rating=_clean(review.get("textualRating")) or None,
            claimant=_clean(claim.get("claimant")) or None,
            reviewer=_name_of(review.get("publisher")),
            date=_date_of(review.get("reviewDate")) or _date_of(claim.get("claimDate")),
            url=url,
            title=_clean(review.get("title")) or None,
        )


def _walk_claimreview(obj: Any, where: str) -> Iterator[FactCheck | str]:
    if isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _walk_claimreview(item, f"{where}[{i}]")
        return
    if not isinstance(obj, Mapping):
        yield f"{where}: not a JSON object; skipped"
        return
    if "@graph" in obj:
        yield from _walk_claimreview(obj["@graph"], f"{where}.@graph")
        return
    if "claims" in obj and isinstance(obj["claims"], list):
        for i, claim in enumerate(obj["claims"]):
            if isinstance(claim, Mapping):
                yield from _google_records(claim, f"{where}.claims[{i}]")
            else:
                yield f"{where}.claims[{i}]: not an object; skipped"
        return
    if "claimReview" in obj and "text" in obj:
        yield from _google_records(obj, where)
        return
    types_ = obj.get("@type")
    type_list = types_ if isinstance(types_, list) else [types_]
    if "ClaimReview" in type_list or "claimReviewed" in obj:
        try:
            yield _claimreview_record(obj, where)
        except ValueError as exc:
            yield f"{exc}; skipped"
        return
    if "mainEntity" in obj:
        yield from _walk_claimreview(obj["mainEntity"], f"{where}.mainEntity")
        return
    yield f"{where}: not a ClaimReview (no 'claimReviewed'); skipped"


def read_claimreview(path: Path) -> ImportBatch:
    text = _read_text(path)
    problems: list[str] = []
    records: list[tuple[EntryKind, Record]] = []

    def collect(items: Iterator[FactCheck | str]) -> None:
        for item in items:
            if isinstance(item, str):
                problems.append(item)
            else:
                records.append(("factcheck", item))

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        lines = [ln for ln in text.splitlines() if ln.strip()]
        if len(lines) < 2:
            raise InputError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
        # JSON Lines: one object per line.
        for lineno, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                problems.append(f"{path}:{lineno}: not valid JSON ({err.msg}); skipped")
                continue
            collect(_walk_claimreview(obj, f"{path}:{lineno}"))
    else:
        collect(_walk_claimreview(data, str(path)))
    return ImportBatch(tuple(records), tuple(problems), "claimreview")


# --- CheckThat! TSV -------------------------------------------------------------------------


def _rows(text: str, delimiter: str, label: str) -> Iterator[tuple[int, list[str]]]:
    """CSV rows with the line number each starts on; errors name ``label`` (the file)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"{label}:{reader.line_num}: {exc}") from None
        yield line, row
        line = reader.line_num + 1


def read_checkthat(path: Path) -> ImportBatch:
    """CheckThat! verified claims: ``vclaim_id<TAB>vclaim<TAB>title`` with a header row."""
    text = _read_text(path)
    problems: list[str] = []
    records: list[tuple[EntryKind, Record]] = []
    for line, row in _rows(text, "\t", str(path)):
        if line == 1 and (not row or not row[0].strip() or row[0].strip() == "vclaim_id"):
            continue  # header
        if not any(c.strip() for c in row):
            continue
        if len(row) not in (2, 3):
            problems.append(f"{path}:{line}: expected 3 tab-separated columns, got {len(row)}")
            continue
        vid, claim = row[0].strip(), _clean(row[1])
        title = _clean(row[2]) if len(row) == 3 else ""
        if not vid or not claim:
            problems.append(f"{path}:{line}: empty id or claim; skipped")
            continue
        records.append(
            (
                "factcheck",
                FactCheck(
                    id=vid,
                    claim=claim,
                    title=title or None,
                    reviewer="Snopes (CheckThat! 2020 verified claims)",
                ),
            )
        )
    return ImportBatch(tuple(records), tuple(problems), "checkthat")


# --- EUvsDisinfo CSV ------------------------------------------------------------------------


def _us_date(text: str) -> str | None:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%m/%d/%y", "%m/%d/%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def read_euvsdisinfo(path: Path) -> ImportBatch:
    """EUvsDisinfo cases as fact-checks rated "Disinformation" by EUvsDisinfo.

    Two layouts are recognised by their header: the case list (``date,id,title,countries,
    keywords,languages,outlets``; ``id`` is the case URL) and the scraped cases with
    ``title,summary,disproof`` (the summary is the claim).
    """
    text = _read_text(path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = {f.strip().lower() for f in reader.fieldnames or ()}
    has_summary = {"summary", "title"} <= fields
    has_posts = {"id", "title", "date"} <= fields
    if not (has_summary or has_posts):
        raise InputError(
            f"{path}: not an EUvsDisinfo CSV (expected columns date,id,title,... or "
            "title,summary,disproof)"
        )
    problems: list[str] = []
    records: list[tuple[EntryKind, Record]] = []
    line = 2
    try:
        for row in reader:
            start, line = line, reader.line_num + 1
            row = {str(k).strip().lower(): (v or "") for k, v in row.items() if k is not None}
            title = _clean(row.get("title"))
            claim = _clean(row.get("summary")) if has_summary else title
            if not claim:
                problems.append(f"{path}:{start}: empty {'summary' if has_summary else 'title'}")
                continue
            date = _us_date(row.get("date", ""))
            case_url = _clean(row.get("id")) if has_posts else ""
            if not case_url.startswith("http"):
                case_url = ""
            claimant = _clean(row.get("outlets") or row.get("outlet")) or None
            rid = "euvsd-" + (
                slugify(case_url.rstrip("/").rsplit("/", 1)[-1], 200)
                if case_url
                else _short_hash(date or "", title, claim)
            )
            records.append(
                (
                    "factcheck",
                    FactCheck(
                        id=rid,
                        claim=claim,
                        rating="Disinformation",
                        claimant=claimant,
                        reviewer="EUvsDisinfo",
                        date=date,
                        url=case_url or None,
                        title=title or None,
                    ),
                )
            )
    except csv.Error as exc:
        raise InputError(f"{path}:{line}: {exc}") from None
    return ImportBatch(tuple(records), tuple(problems), "euvsdisinfo")


# --- VoxCheck JSON --------------------------------------------------------------------------


def voxcheck_label(case: Mapping[str, Any]) -> str:
    """The narrative of a VoxCheck case (``Narrative_filled``, else ``Narrative``)."""
    return _clean(case.get("Narrative_filled") or case.get("Narrative"))


def voxcheck_text(case: Mapping[str, Any]) -> str:
    return _clean(case.get("Disinfo_cases_en"))


def read_voxcheck(path: Path) -> ImportBatch:
    """VoxCheck cases grouped into one Narrative per narrative label, cases as examples."""
    text = _read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    if isinstance(data, Mapping):
        data = data.get("cases") or data.get("data") or [data]
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a list of VoxCheck cases")
    problems: list[str] = []
    groups: dict[str, list[str]] = {}
    subs: dict[str, list[str]] = {}
    for i, case in enumerate(data):
        if not isinstance(case, Mapping):
            problems.append(f"{path}: item {i}: not an object; skipped")
            continue
        label, example = voxcheck_label(case), voxcheck_text(case)
        if not label or not example:
            cid = case.get("id", "?")
            problems.append(
                f"{path}: item {i} (id {cid}): missing narrative or Disinfo_cases_en; skipped"
            )
            continue
        groups.setdefault(label, [])
        if example not in groups[label]:
            groups[label].append(example)
        fake = _clean(case.get("Fakes"))
        if fake and fake not in subs.setdefault(label, []):
            subs[label].append(fake)
    source = Source(
        title="Propaganda Diary", publisher="VoxCheck (VoxUkraine)", url="https://voxcheck.com"
    )
    records: list[tuple[EntryKind, Record]] = []
    for label, examples in groups.items():
        records.append(
            (
                "narrative",
                Narrative(
                    id=f"voxcheck-{slugify(label)}",
                    name=label,
                    description=label,
                    why_misleading="Catalogued as a propaganda narrative by VoxCheck.",
                    examples=tuple(examples),
                    keywords=tuple(subs.get(label, ())),
                    sources=(source,),
                ),
            )
        )
    return ImportBatch(tuple(records), tuple(problems), "voxcheck")


# --- YAML -----------------------------------------------------------------------------------


def read_yaml(path: Path) -> ImportBatch:
    pack = load_pack(path)
    return ImportBatch(tuple(pack.records()), pack.problems, pack.name)


FORMATS: Mapping[str, Callable[[Path], ImportBatch]] = MappingProxyType(
    {
        "claimreview": read_claimreview,
        "checkthat": read_checkthat,
        "euvsdisinfo": read_euvsdisinfo,
        "voxcheck": read_voxcheck,
        "yaml": read_yaml,
    }
)


def read_file(format: str, path: str | Path) -> ImportBatch:
    """Read ``path`` in ``format`` (one of ``FORMATS``)."""
    reader = FORMATS.get(format.lower())
    if reader is None:
        raise InputError(f"unknown import format {format!r} (choose from {', '.join(FORMATS)})")
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: file not found")
    try:
        return reader(p)
    except RecursionError:
        raise InputError(f"{p}: nested too deeply to import (a hostile or broken file?)") from None
    except MemoryError:
        raise InputError(f"{p}: too large to import") from None
