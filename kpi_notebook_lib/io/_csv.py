"""Reading machinery shared by the platform importers (private).

From bytes to parsed canonical columns, in small steps that every importer reuses:

1. :func:`read_text` decodes a whole file (BOM, UTF-16, UTF-8, cp1252) or fails naming it.
2. :func:`split_records` / :func:`sniff_delimiter` / :func:`sections` cut the text into
   records that remember their 1-based start line, surviving ``sep=,`` lines, title lines and
   GA4 ``#`` preambles; :func:`read_sheets` does the same for ``.xlsx``, ``.xls`` and
   HTML-disguised ``.xls`` workbooks.
3. :func:`build_table` turns records into a :class:`RawTable` (header located by alias hits,
   ragged rows quarantined with their line number, duplicate header names kept apart).
4. :class:`RowBuilder` parses the fields an importer asks for (numbers through
   :func:`~kpi_notebook_lib.io.normalize.parse_numbers`, dates with explicit formats, texts),
   collects every failure and returns the good rows plus the quarantine.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import ImportFormatError
from .aliases import AliasTable, Resolution, load_aliases, normalize_header, resolve_header
from .base import FileHead, ImportContext
from .normalize import NA_TOKENS, clean_text, parse_numbers

__all__ = [
    "FAIL_COLUMNS",
    "ISO_FORMATS",
    "POST_FORMAT_WORDS",
    "Locale",
    "RawTable",
    "Record",
    "RowBuilder",
    "Section",
    "build_table",
    "canonical",
    "check_ids",
    "context_aliases",
    "date_range_in_name",
    "empty_failures",
    "excel_serial",
    "guess_decimal",
    "has_header",
    "head_records",
    "is_na",
    "locale_of",
    "locate_header",
    "map_formats",
    "numeric_date_formats",
    "parse_datetimes",
    "parse_text_dates",
    "read_csv_table",
    "read_records",
    "read_sheets",
    "read_text",
    "sections",
    "sheet_table",
    "sniff_delimiter",
    "split_records",
    "sum_counts",
    "text_date_parts",
    "unknown_note",
    "workbook_kind",
]

FAIL_COLUMNS = ["row", "column", "value", "reason"]
_DELIMITERS = (",", ";", "\t", "|")
_SEP_LINE = re.compile(r'^\ufeff?"?sep=(.)"?\s*$', re.IGNORECASE)
_EXCEL_EPOCH = datetime(1899, 12, 30)


def empty_failures() -> pd.DataFrame:
    """An empty failure frame (``row, column, value, reason``)."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in FAIL_COLUMNS})


def is_na(v: Any) -> bool:
    """True for missing cells and the platforms' NA tokens (``N/A``, ``-``, ``undefined``…)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float) and np.isnan(v):
        return True
    return isinstance(v, str) and v.strip().lower() in NA_TOKENS


# --------------------------------------------------------------------------------------------
# Decoding


def _encoding_of(raw: bytes) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = raw[:4096]
    if b"\x00" in sample:
        even, odd = sample[0::2], sample[1::2]
        if odd and odd.count(0) > len(odd) * 0.3:
            return "utf-16-le"
        if even and even.count(0) > len(even) * 0.3:
            return "utf-16-be"
        return "binary"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def read_text(path: Path) -> tuple[str, str]:
    """Read and decode a whole text export.

    The encoding is decided from the BOM (UTF-8, UTF-16), NUL bytes (UTF-16 without BOM), then
    strict UTF-8, then Windows-1252 (what Excel writes on a French or US Windows).

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    text : str
        Decoded text without BOM.
    encoding : str
        Encoding used.

    Raises
    ------
    ImportFormatError
        When the bytes are not text in any of these encodings.
    """
    raw = Path(path).read_bytes()
    enc = _encoding_of(raw)
    if enc == "binary":
        raise ImportFormatError(
            str(path),
            "expected a text export (UTF-8, UTF-16 or Windows-1252), but the file "
            "holds binary data (NUL bytes)",
        )
    try:
        text = raw.decode(enc)
    except UnicodeDecodeError as err:
        bad = raw[err.start : err.start + 4]
        raise ImportFormatError(
            str(path),
            f"cannot be decoded as UTF-8, UTF-16 or Windows-1252 (cp1252): byte(s) {bad!r} at "
            f"offset {err.start} are not text. Re-export the file, or save it as "
            "'CSV UTF-8' from your spreadsheet",
        ) from None
    text = text.lstrip("\ufeff")
    m = _CONTROL.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        raise ImportFormatError(
            str(path),
            f"cannot be decoded as text: control character {m.group()!r} found (read as "
            f"{enc}). The file is binary or in an unsupported encoding",
            row=line,
        )
    return text, enc


# --------------------------------------------------------------------------------------------
# Records

Record = tuple[int, list[Any]]
"""One record: (1-based line where it starts, its cells)."""


def split_records(text: str, delimiter: str, *, first_line: int = 1) -> list[Record]:
    """Split CSV text into records, each with the file line where it starts.

    Quoted cells may hold delimiters and newlines. Blank lines give empty records.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    out: list[Record] = []
    prev = 0
    for cells in reader:
        out.append((first_line + prev, cells))
        prev = reader.line_num
    return out


def _content(cells: Sequence[Any]) -> list[Any]:
    return [c for c in cells if c is not None and str(c).strip() != ""]


def sniff_delimiter(text: str, default: str = ",") -> str:
    """Guess the delimiter of CSV text (title lines and ``#`` lines are tolerated).

    For each candidate (``,`` ``;`` tab ``|``) the first records are split; the winner is the
    one whose most frequent multi-cell width is shared by the most records (then the widest).
    """
    lines = [ln for ln in text[:50_000].splitlines()[:60] if not ln.startswith("#")]
    if lines and _SEP_LINE.match(lines[0]):
        return _SEP_LINE.match(lines[0]).group(1)
    sample = "\n".join(lines[:-1] if len(lines) > 2 else lines)
    best: tuple[int, int, int] = (0, 0, 0)
    choice = default
    for rank, d in enumerate(_DELIMITERS):
        widths = []
        for _, cells in split_records(sample, d):
            while cells and not str(cells[-1]).strip():
                cells = cells[:-1]
            if len(cells) > 1:
                widths.append(len(cells))
        if not widths:
            continue
        width, freq = Counter(widths).most_common(1)[0]
        score = (freq, width, -rank)
        if score > best:
            best, choice = score, d
    return choice


@dataclass
class Section:
    """A run of lines after a ``#`` preamble (GA4 files hold several).

    Attributes
    ----------
    preamble : list of str
        The ``#`` lines before the section, without the ``#``.
    text : str
        The section's lines.
    first_line : int
        File line of the section's first line.
    """

    preamble: list[str]
    text: str
    first_line: int


def sections(text: str, prefix: str = "#") -> list[Section]:
    """Cut text into sections, each introduced by lines starting with ``prefix``."""
    out: list[Section] = []
    preamble: list[str] = []
    body: list[str] = []
    start = 1
    for no, line in enumerate(text.splitlines(), start=1):
        if line.startswith(prefix):
            if body:
                out.append(Section(preamble, "\n".join(body), start))
                preamble, body = [], []
            preamble.append(line[len(prefix) :].strip())
        else:
            if not body:
                start = no
            body.append(line)
    if body or preamble:
        out.append(Section(preamble, "\n".join(body), start))
    return out


def read_records(path: Path) -> tuple[list[Record], str, str]:
    """Decode a CSV export and split it into records.

    A leading Excel ``sep=X`` line sets the delimiter and is dropped (its line still counts).

    Returns
    -------
    records : list of Record
    delimiter : str
    encoding : str
    """
    text, enc = read_text(path)
    first_line = 1
    first, _, rest = text.partition("\n")
    m = _SEP_LINE.match(first.rstrip("\r"))
    if m:
        delimiter = m.group(1)
        text, first_line = rest, 2
    else:
        delimiter = sniff_delimiter(text)
    return split_records(text, delimiter, first_line=first_line), delimiter, enc


def head_records(head: FileHead, limit: int = 40) -> list[list[str]]:
    """Records of a file head, for sniffing (no line numbers; never raises)."""
    if not head.text:
        return []
    lines = head.text.splitlines()
    if lines and _SEP_LINE.match(lines[0]):
        delimiter = _SEP_LINE.match(lines[0]).group(1)
        lines = lines[1:]
    else:
        delimiter = sniff_delimiter(head.text)
    text = "\n".join(ln for ln in lines[: limit * 4] if not ln.startswith("#"))
    return [cells for _, cells in split_records(text, delimiter)[:limit]]


def has_header(head: FileHead, platform: str, kind: str, fields: Iterable[str]) -> bool:
    """True when one of the head's first records names every field in ``fields``."""
    table = load_aliases(platform, kind)
    wanted = set(fields)
    for cells in head_records(head):
        found = {table.field_of(c) for c in cells if str(c).strip()}
        if wanted <= found:
            return True
    return False


# --------------------------------------------------------------------------------------------
# Workbooks


def _xlsx_sheets(path: Path) -> dict[str, list[Record]]:
    import openpyxl

    try:
        # a file object, so that an .xlsx saved with an .xls extension is read too
        wb = openpyxl.load_workbook(
            io.BytesIO(Path(path).read_bytes()), read_only=True, data_only=True
        )
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise ImportFormatError(str(path), f"is not a readable .xlsx workbook ({err})") from None
    out = {}
    for ws in wb.worksheets:
        out[ws.title] = [(i, list(row)) for i, row in enumerate(ws.iter_rows(values_only=True), 1)]
    wb.close()
    return out


def _xls_sheets(path: Path) -> dict[str, list[Record]]:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path))
    except xlrd.XLRDError as err:
        raise ImportFormatError(str(path), f"is not a readable .xls workbook ({err})") from None
    out = {}
    for sheet in book.sheets():
        rows = []
        for r in range(sheet.nrows):
            cells = []
            for c in sheet.row(r):
                if c.ctype == xlrd.XL_CELL_DATE:
                    cells.append(xlrd.xldate_as_datetime(c.value, book.datemode))
                elif c.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    cells.append(None)
                else:
                    cells.append(c.value)
            rows.append((r + 1, cells))
        out[sheet.name] = rows
    return out


def _html_sheets(path: Path) -> dict[str, list[Record]]:
    import lxml.html

    text, _ = read_text(path)
    try:
        doc = lxml.html.fromstring(text)
    except Exception as err:
        raise ImportFormatError(
            str(path), f"looks like HTML saved as a spreadsheet but cannot be parsed ({err})"
        ) from None
    tables = doc.xpath("//table")
    if not tables:
        raise ImportFormatError(
            str(path),
            "is a web page saved with a spreadsheet extension, but it holds no table. "
            "Open it in a spreadsheet and save it as .xlsx or CSV",
        )
    out = {}
    for n, table in enumerate(tables, start=1):
        caption = table.xpath("./caption")
        name = caption[0].text_content().strip() if caption else f"Table {n}"
        rows = []
        for i, tr in enumerate(table.xpath(".//tr"), start=1):
            rows.append((i, [td.text_content().strip() for td in tr.xpath("./th|./td")]))
        out[name] = rows
    return out


def workbook_kind(path: Path) -> str | None:
    """``xlsx``, ``xls`` or ``html`` from a file's first bytes (None when none of them)."""
    with open(path, "rb") as fh:
        start = fh.read(2048)
    if start.startswith(b"PK\x03\x04"):
        return "xlsx"
    if start.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    probe = start.lstrip(codecs.BOM_UTF8).lstrip().lower()
    for bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if start.startswith(bom):
            probe = start.decode("utf-16", errors="ignore").lstrip().lower().encode()
    if probe.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta", b"<head")):
        return "html"
    return None


def read_sheets(path: Path) -> dict[str, list[Record]]:
    """Read every sheet of a workbook as records (1-based row numbers).

    ``.xlsx`` (openpyxl), genuine ``.xls`` (xlrd) and the HTML pages that LinkedIn and others
    save with an ``.xls`` extension (lxml) are recognised from the content, not the extension.

    Raises
    ------
    ImportFormatError
        When the file is none of these.
    """
    kind = workbook_kind(path)
    if kind == "xlsx":
        return _xlsx_sheets(path)
    if kind == "xls":
        return _xls_sheets(path)
    if kind == "html":
        return _html_sheets(path)
    raise ImportFormatError(
        str(path),
        "expected an Excel workbook (.xlsx or .xls) or an HTML table, but the file is none of them",
    )


# --------------------------------------------------------------------------------------------
# Tables


@dataclass
class RawTable:
    """Cells of one table under its header, indexed by file line.

    Attributes
    ----------
    header : list of str
        Header cells, as in the file (duplicates allowed).
    data : DataFrame
        Raw cells (object dtype); columns are header *positions*, the index is the 1-based
        line of each row.
    header_line : int
        Line of the header.
    above : list of list
        Records above the header (title, description rows…).
    failures : DataFrame
        Rows that could not be split into the header's columns (``row, column, value,
        reason``).
    """

    header: list[str]
    data: pd.DataFrame
    header_line: int
    above: list[list[Any]] = field(default_factory=list)
    failures: pd.DataFrame = field(default_factory=empty_failures)

    def cells(self, positions: Iterable[int]) -> list[Any]:
        """All non-missing cells of the given columns (for locale guessing)."""
        out: list[Any] = []
        for p in positions:
            out.extend(v for v in self.data[p].tolist() if not is_na(v))
        return out


def locate_header(records: Sequence[Record], table: AliasTable, min_hits: int = 2) -> int:
    """Index of the header record: the first one naming at least ``min_hits`` known fields.

    Falls back on the first record with two non-empty cells or more (the alias check then
    reports what is missing).
    """
    for i, (_, cells) in enumerate(records[:60]):
        hits = {table.field_of(c) for c in cells if c is not None and str(c).strip()} - {None}
        if len(hits) >= min(min_hits, len(table.fields)):
            return i
    for i, (_, cells) in enumerate(records[:60]):
        if len(_content(cells)) >= 2:
            return i
    return 0


def build_table(
    records: Sequence[Record], header_index: int, *, pad: bool = False, skip: int = 0
) -> RawTable:
    """Turn records into a :class:`RawTable`.

    Parameters
    ----------
    records : sequence of Record
        Records of the file or sheet.
    header_index : int
        Position of the header record.
    pad : bool
        Accept rows shorter than the header (spreadsheets drop trailing empty cells). In CSV
        files a short row is quarantined.
    skip : int
        Records to skip after the header (e.g. the description row of legacy Insights).

    Returns
    -------
    RawTable
    """
    if not records:
        return RawTable([], pd.DataFrame(), 1)
    line, header_cells = records[header_index]
    header = ["" if c is None else str(c).strip() for c in header_cells]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    rows, index = [], []
    fails: list[tuple[int, str, str, str]] = []
    for no, cells in records[header_index + 1 + skip :]:
        if not _content(cells):
            continue
        cells = list(cells)
        while len(cells) > width and (cells[-1] is None or str(cells[-1]).strip() == ""):
            cells.pop()
        if len(cells) < width and pad:
            cells += [None] * (width - len(cells))
        if len(cells) != width:
            shown = " | ".join("" if c is None else str(c) for c in cells)
            fails.append(
                (
                    no,
                    "(row)",
                    shown[:200],
                    f"the row has {len(cells)} cells but the header has {width}",
                )
            )
            continue
        rows.append(cells)
        index.append(no)
    data = pd.DataFrame(
        rows, index=pd.Index(index, dtype="int64"), columns=range(width), dtype=object
    )
    failures = pd.DataFrame(fails, columns=FAIL_COLUMNS) if fails else empty_failures()
    above = [cells for _, cells in records[:header_index]]
    return RawTable(header, data, line, above, failures)


# --------------------------------------------------------------------------------------------
# Locale


@dataclass(frozen=True)
class Locale:
    """How a file writes numbers and dates.

    Attributes
    ----------
    decimal : {".", ","}
        Decimal mark.
    dayfirst : bool
        Numeric dates are day/month/year (French) rather than month/day/year (US).
    french : bool
        Headers are in French.
    """

    decimal: str = "."
    dayfirst: bool = False
    french: bool = False


_NUMBERISH = re.compile(r"^[+-]?[\d.,]*\d[\d.,]*$")
_STRIP = re.compile(r"[\s\u00a0\u202f\u2009%]")


def guess_decimal(cells: Iterable[Any], fallback: str = ".") -> str:
    """Decide the decimal mark from unambiguous number cells.

    ``1938.0``, ``0.0299``, ``1,234.5``, ``12,345,678`` vote for ``.``; ``3,5``, ``1 234,56``,
    ``1.234,5``, ``1.234.567`` vote for ``,``; ``1,234`` and ``1.234`` do not vote. Without
    votes, ``fallback`` is returned.
    """
    point = comma = 0
    for v in cells:
        if not isinstance(v, str):
            continue
        s = _STRIP.sub("", v)
        if not _NUMBERISH.match(s):
            continue
        has_c, has_p = "," in s, "." in s
        if has_c and has_p:
            if s.rfind(",") > s.rfind("."):
                comma += 1
            else:
                point += 1
        elif has_c:
            if s.count(",") > 1:
                point += 1
            elif len(s.rsplit(",", 1)[1]) != 3:
                comma += 1
        elif has_p:
            if s.count(".") > 1:
                comma += 1
            elif len(s.rsplit(".", 1)[1]) != 3:
                point += 1
    if comma > point:
        return ","
    if point > comma:
        return "."
    return fallback


def locale_of(raw: RawTable, res: Resolution, numeric: Iterable[str], delimiter: str) -> Locale:
    """Guess a file's :class:`Locale` from its headers, delimiter and number cells."""
    french = res.french
    frenchish = french or delimiter == ";"
    positions = [p for name in numeric for p in res.columns.get(name, [])]
    decimal = guess_decimal(raw.cells(positions), fallback="," if frenchish else ".")
    return Locale(decimal=decimal, dayfirst=frenchish or decimal == ",", french=french)


# --------------------------------------------------------------------------------------------
# Dates

_SERIAL = re.compile(r"^\d{5}(?:[.,]\d+)?$")


def excel_serial(v: Any) -> datetime | None:
    """The datetime an Excel serial (``45678``, ``45678.5``) stands for, else None.

    Only values between 10000 and 99999 (1927–2173) are taken for serials.
    """
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float, np.integer, np.floating)):
        num = float(v)
    elif isinstance(v, str) and _SERIAL.match(v.strip()):
        num = float(v.strip().replace(",", "."))
    else:
        return None
    if not 10_000 <= num < 100_000:
        return None
    return _EXCEL_EPOCH + timedelta(days=num)


_MONTHS = {
    1: "jan january janv janvier ene enero januar gennaio janeiro gen",
    2: "feb february fev fevr fevrier febrero februar febbraio fevereiro",
    3: "mar march mars marzo marz marco",
    4: "apr april avr avril abr abril aprile",
    5: "may mai mayo maggio maio",
    6: "jun june juin junio juni giugno junho giu",
    7: "jul july juil juillet julio juli luglio julho lug",
    8: "aug august aout ago agosto",
    9: "sep sept september septembre septiembre setiembre settembre setembro set",
    10: "oct october octobre octubre oktober ottobre outubro okt ott out",
    11: "nov november novembre noviembre novembro",
    12: "dec december decembre dic diciembre dezember dicembre dezembro dez",
}
_MONTH_WORDS = {w: m for m, words in _MONTHS.items() for w in words.split()}
_WEEKDAYS = set(
    "mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday sat saturday "
    "sun sunday lun lundi mardi mer mercredi jeu jeudi ven vendredi sam samedi dim dimanche "
    "lunes martes miercoles jueves viernes sabado domingo".split()
)
_FILLERS = {"de", "del", "di", "do", "der", "le", "the", "of", "er", "st", "nd", "rd", "th"}
_TOKEN = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?|\d+|[^\W\d_]+")


def _plain(text: str) -> str:
    s = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def text_date_parts(text: str) -> tuple[int, int, int | None, tuple[int, int, int]] | None:
    """(month, day, year or None, (h, m, s)) from a date written with a month name."""
    month = day = year = None
    hms = (0, 0, 0)
    for tok in _TOKEN.findall(_plain(text)):
        if ":" in tok:
            parts = [int(p) for p in tok.split(":")] + [0]
            hms = (parts[0], parts[1], parts[2])
        elif tok.isdigit():
            if len(tok) == 4 and year is None:
                year = int(tok)
            elif len(tok) <= 2 and day is None:
                day = int(tok)
            else:
                return None
        elif tok in _MONTH_WORDS and month is None:
            month = _MONTH_WORDS[tok]
        elif tok in _WEEKDAYS or tok in _FILLERS or tok in {"am", "pm"}:
            if tok == "pm" and hms[0] < 12:
                hms = (hms[0] + 12, hms[1], hms[2])
            elif tok == "am" and hms[0] == 12:
                hms = (0, hms[1], hms[2])
        else:
            return None
    if month is None or day is None:
        return None
    return month, day, year, hms


def _failures(rows: list, column: str, values: list, reasons: list | str) -> pd.DataFrame:
    if not rows:
        return empty_failures()
    return pd.DataFrame(
        {"row": rows, "column": column, "value": [str(v) for v in values], "reason": reasons}
    )


def _finish_times(
    values: pd.Series,
    parsed: list[datetime | None],
    *,
    column: str,
    timezone: str | None,
    date_only: bool,
) -> tuple[pd.Series, pd.DataFrame]:
    index = values.index
    if date_only:
        out = pd.Series(
            [pd.Timestamp(p.date()) if p is not None else pd.NaT for p in parsed],
            index=index,
            dtype="datetime64[ns]",
        )
        return out, empty_failures()
    out = pd.Series(pd.NaT, index=index, dtype="datetime64[ns, UTC]")
    aware = [i for i, p in enumerate(parsed) if p is not None and p.tzinfo is not None]
    naive = [i for i, p in enumerate(parsed) if p is not None and p.tzinfo is None]
    if aware:
        out.iloc[aware] = pd.to_datetime([parsed[i] for i in aware], utc=True)
    rows, vals = [], []
    if naive:
        local = pd.DatetimeIndex([parsed[i] for i in naive])
        local = local.tz_localize(timezone or "UTC", ambiguous="NaT", nonexistent="NaT")
        out.iloc[naive] = local.tz_convert("UTC")
        for i, ts in zip(naive, local, strict=True):
            if ts is pd.NaT:
                rows.append(index[i])
                vals.append(values.iloc[i])
    reason = (
        f"this local time does not exist or happens twice in {timezone} (daylight-saving "
        "change): the hour cannot be placed without guessing"
    )
    return out, _failures(rows, column, vals, reason)


def parse_datetimes(
    values: pd.Series,
    *,
    column: str,
    formats: Sequence[str],
    timezone: str | None = None,
    date_only: bool = False,
    expected: str = "",
) -> tuple[pd.Series, pd.DataFrame]:
    """Parse date or time cells with explicit formats, never inferring them.

    Parameters
    ----------
    values : pandas.Series
        Raw cells indexed by file line. ``datetime`` cells (from workbooks) are taken as they
        are and Excel serial numbers are recognised.
    column : str
        Header in the file, for failures.
    formats : sequence of str
        ``strptime`` formats tried in order. They must not be ambiguous with one another
        (never both ``%d/%m`` and ``%m/%d``): a cell that matches none is a failure.
    timezone : str, optional
        IANA zone of naive times; they are converted to UTC. A local time that does not exist
        or happens twice (DST change) is a failure. Times with an offset (``%z``) ignore it.
    date_only : bool
        Return local calendar days (``datetime64[ns]`` at midnight) instead of UTC times.
    expected : str
        Example shown in the failure reason.

    Returns
    -------
    parsed : pandas.Series
        UTC timestamps, or naive days when ``date_only``.
    failures : pandas.DataFrame
    """
    parsed: list[datetime | None] = []
    rows, vals = [], []
    for row, v in values.items():
        if is_na(v):
            parsed.append(None)
            continue
        if isinstance(v, datetime):
            parsed.append(v.to_pydatetime() if isinstance(v, pd.Timestamp) else v)
            continue
        if isinstance(v, date):
            parsed.append(datetime(v.year, v.month, v.day))
            continue
        serial = excel_serial(v)
        if serial is not None:
            parsed.append(serial)
            continue
        text = " ".join(str(v).split())
        got = None
        for fmt in formats:
            try:
                got = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        if got is None:
            rows.append(row)
            vals.append(v)
        parsed.append(got)
    reason = f"expected a date like {expected or formats[0]}"
    out, dst = _finish_times(values, parsed, column=column, timezone=timezone, date_only=date_only)
    return out, pd.concat([_failures(rows, column, vals, reason), dst], ignore_index=True)


YearRule = Callable[[int, int], "int | str"]
"""Given (month, day) of a year-less date, return its year or an error message."""


def parse_text_dates(
    values: pd.Series,
    *,
    column: str,
    timezone: str | None = None,
    date_only: bool = False,
    year: YearRule | None = None,
    expected: str = "Aug 28, 2025",
) -> tuple[pd.Series, pd.DataFrame]:
    """Parse dates written with a month name, in English, French, Spanish, German, Italian or
    Portuguese (``Sat, Aug 1, 2026``, ``Mon Feb 17 2025``, ``28 août 2025``, ``8 de marzo``).

    The month is a word, so day and month can never be confused. A date without a year takes
    the one ``year`` returns; without ``year`` it is a failure.

    Parameters
    ----------
    values : pandas.Series
        Raw cells indexed by file line (Excel serials and ``datetime`` cells are accepted).
    column : str
        Header in the file, for failures.
    timezone : str, optional
        Zone of the (local) times; see :func:`parse_datetimes`.
    date_only : bool
        Return local calendar days.
    year : callable, optional
        ``year(month, day)`` returns the year of a year-less date or an error message.
    expected : str
        Example shown in the failure reason.

    Returns
    -------
    parsed : pandas.Series
    failures : pandas.DataFrame
    """
    parsed: list[datetime | None] = []
    rows, vals, reasons = [], [], []
    for row, v in values.items():
        if is_na(v):
            parsed.append(None)
            continue
        if isinstance(v, datetime):
            parsed.append(v.to_pydatetime() if isinstance(v, pd.Timestamp) else v)
            continue
        serial = excel_serial(v)
        if serial is not None:
            parsed.append(serial)
            continue
        got = text_date_parts(str(v))
        result: datetime | None = None
        reason = f"expected a date like {expected!r}"
        if got is not None:
            month, day, y, hms = got
            if y is None:
                y = year(month, day) if year is not None else "the date has no year"
            if isinstance(y, str):
                reason = y
            else:
                try:
                    result = datetime(y, month, day, *hms)
                except ValueError:
                    reason = f"not a real date in {y}"
        if result is None:
            rows.append(row)
            vals.append(v)
            reasons.append(reason)
        parsed.append(result)
    out, dst = _finish_times(values, parsed, column=column, timezone=timezone, date_only=date_only)
    return out, pd.concat([_failures(rows, column, vals, reasons), dst], ignore_index=True)


_RANGES = (
    re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})\D{1,5}?(\d{4}-\d{2}-\d{2})(?!\d)"),
    re.compile(r"(?<!\d)(\d{8})[_\-~ ]{1,3}(\d{8})(?!\d)"),
    re.compile(r"([A-Za-z]{3}-\d{1,2}-\d{4})_([A-Za-z]{3}-\d{1,2}-\d{4})"),
)


def date_range_in_name(path: Path) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The date range written in a file's (or its folder's) name, e.g. ``_20250101_20250131``,
    ``2025-07-01_2025-07-31`` or Meta's ``Jan-01-2025_Mar-31-2025``."""
    for name in (Path(path).name, Path(path).parent.name):
        for pattern in _RANGES:
            m = pattern.search(name)
            if not m:
                continue
            try:
                start, end = (
                    pd.Timestamp(datetime.strptime(g, _range_format(g))) for g in m.groups()
                )
            except ValueError:
                continue
            if start <= end:
                return start, end
    return None


def _range_format(text: str) -> str:
    if "-" in text and text[0].isalpha():
        return "%b-%d-%Y"
    return "%Y-%m-%d" if "-" in text else "%Y%m%d"


# --------------------------------------------------------------------------------------------
# Parsing fields into canonical columns


class RowBuilder:
    """Parse the fields of a :class:`RawTable` into canonical columns, collecting failures.

    Parameters
    ----------
    raw : RawTable
        The table read from the file.
    res : Resolution
        Which columns hold which fields.
    locale : Locale
        Decimal mark and date order of the file.
    """

    def __init__(self, raw: RawTable, res: Resolution, locale: Locale) -> None:
        self.raw = raw
        self.res = res
        self.locale = locale
        self.index = raw.data.index
        self.columns: dict[str, pd.Series] = {}
        self.failures: list[pd.DataFrame] = [raw.failures]
        self.notes: list[str] = []

    # -- access
    def has(self, name: str) -> bool:
        """True when the file has a column for field ``name``."""
        return self.res.has(name)

    def header_of(self, name: str) -> str:
        """The file's header for field ``name``."""
        return self.res.header_of(name)

    def cells(self, name: str) -> pd.Series | None:
        """Raw cells of field ``name`` (None when absent).

        When several columns hold the field (a column repeated, or two aliases), the first
        non-missing cell wins; two different values in a repeated column are a failure.
        """
        positions = self.res.columns.get(name)
        if not positions:
            return None
        out = self.raw.data[positions[0]].copy()
        for p in positions[1:]:
            other = self.raw.data[p]
            first_na = out.map(is_na)
            other_na = other.map(is_na)
            same_name = normalize_header(self.res.header[p]) == normalize_header(
                self.res.header[positions[0]]
            )
            clash = (
                ~first_na
                & ~other_na
                & (out.astype(str).str.strip() != other.astype(str).str.strip())
            )
            if clash.any():
                header = self.res.header[positions[0]]
                if same_name:
                    self.fail(
                        clash.index[clash],
                        header,
                        [f"{a} / {b}" for a, b in zip(out[clash], other[clash], strict=True)],
                        f"the column {header!r} appears twice with different values",
                    )
                else:
                    rows = ", ".join(str(r) for r in clash.index[clash][:10])
                    self.notes.append(
                        f"columns {header!r} and {self.res.header[p]!r} both give `{name}` and "
                        f"differ on line(s) {rows}; {header!r} was used."
                    )
            out = out.where(~first_na, other)
        return out

    def fail(self, rows: Iterable[Any], column: str, values: Iterable[Any], reason: Any) -> None:
        """Quarantine cells."""
        rows = list(rows)
        if rows:
            self.failures.append(_failures(rows, column, list(values), reason))

    def _collect(self, failures: pd.DataFrame) -> None:
        if len(failures):
            self.failures.append(failures)

    # -- parsers
    def set(self, name: str, series: pd.Series) -> None:
        """Set canonical column ``name``."""
        self.columns[name] = series

    def number(self, name: str, *, integer: bool = True, to: str | None = None) -> pd.Series:
        """Parse field ``name`` with the normaliser into column ``to`` (default ``name``)."""
        cells = self.cells(name)
        if cells is None:
            out = pd.Series(pd.NA, index=self.index, dtype="Int64" if integer else "Float64")
        else:
            out, fails = parse_numbers(
                cells,
                column=self.header_of(name),
                decimal=self.locale.decimal,
                integer=integer,
            )
            self._collect(fails)
        self.columns[to or name] = out
        return out

    def text(self, name: str, *, to: str | None = None) -> pd.Series:
        """Field ``name`` as stripped text (empty → NA)."""
        cells = self.cells(name)
        if cells is None:
            out = pd.Series(pd.NA, index=self.index, dtype="string")
        else:
            out = clean_text(cells.map(lambda v: v if v is None else str(v)))
        self.columns[to or name] = out
        return out

    def when(
        self,
        name: str,
        *,
        formats: Sequence[str] = (),
        timezone: str | None = None,
        date_only: bool = False,
        text_dates: bool = False,
        year: YearRule | None = None,
        expected: str = "",
        to: str | None = None,
    ) -> pd.Series:
        """Parse a date/time field (see :func:`parse_datetimes`, :func:`parse_text_dates`)."""
        cells = self.cells(name)
        dtype = "datetime64[ns]" if date_only else "datetime64[ns, UTC]"
        if cells is None:
            out = pd.Series(pd.NaT, index=self.index, dtype=dtype)
        elif text_dates:
            out, fails = parse_text_dates(
                cells,
                column=self.header_of(name),
                timezone=timezone,
                date_only=date_only,
                year=year,
                expected=expected or "Aug 28, 2025",
            )
            self._collect(fails)
        else:
            out, fails = parse_datetimes(
                cells,
                column=self.header_of(name),
                formats=formats,
                timezone=timezone,
                date_only=date_only,
                expected=expected,
            )
            self._collect(fails)
        self.columns[to or name] = out
        return out

    # -- result
    def quarantine(self) -> pd.DataFrame:
        """All failures so far, one row per bad cell, sorted by line."""
        frames = [f for f in self.failures if len(f)]
        if not frames:
            return empty_failures()
        out = pd.concat(frames, ignore_index=True)
        out["value"] = out["value"].map(lambda v: "" if v is None else str(v))
        return out.sort_values("row", kind="stable").reset_index(drop=True)

    def frame(
        self, constants: dict[str, Any] | None = None, keep: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """Canonical rows whose cells all parsed, with ``source_row``.

        Parameters
        ----------
        constants : dict, optional
            Columns with one value for every row (``client``, ``platform``…), put first.
        keep : sequence of str, optional
            Columns to return (default: every column set).
        """
        cols = {
            k: pd.Series(v, index=self.index) if not isinstance(v, pd.Series) else v
            for k, v in (constants or {}).items()
        }
        cols.update({k: v for k, v in self.columns.items() if keep is None or k in keep})
        df = pd.DataFrame(cols, index=self.index)
        bad = set(self.quarantine()["row"].tolist())
        df = df.loc[~df.index.isin(bad)].copy()
        df["source_row"] = df.index.astype("int64")
        return df


def context_aliases(ctx: ImportContext) -> dict[str, dict[str, str]]:
    """The user's aliases of an import context (never None)."""
    return ctx.aliases or {}


def unknown_note(res: Resolution) -> list[str]:
    """A note listing unrecognised columns, if any."""
    if not res.unknown:
        return []
    shown = ", ".join(repr(h) for h in res.unknown[:12])
    more = f" and {len(res.unknown) - 12} more" if len(res.unknown) > 12 else ""
    return [
        f"ignored {len(res.unknown)} unrecognised column(s): {shown}{more}. If one holds a "
        "metric, add an alias in <workspace>/aliases.yml."
    ]


def read_csv_table(
    path: Path,
    platform: str,
    kind: str,
    ctx: ImportContext,
    *,
    required: Sequence[str],
    numeric: Sequence[str] = (),
    skip: int = 0,
) -> tuple[RawTable, Resolution, Locale, str]:
    """Read a single-table CSV export: records, header (by alias hits), fields and locale.

    Returns
    -------
    raw : RawTable
    res : Resolution
    locale : Locale
    delimiter : str
    """
    records, delimiter, _ = read_records(path)
    table = load_aliases(platform, kind, context_aliases(ctx))
    at = locate_header(records, table)
    raw = build_table(records, at, skip=skip)
    res = resolve_header(raw.header, table, required=required, file=path, row=raw.header_line)
    return raw, res, locale_of(raw, res, numeric, delimiter), delimiter


def sheet_table(
    records: Sequence[Record],
    path: Path,
    platform: str,
    kind: str,
    ctx: ImportContext,
    *,
    required: Sequence[str],
    numeric: Sequence[str] = (),
) -> tuple[RawTable, Resolution, Locale]:
    """Like :func:`read_csv_table`, for the records of one workbook sheet."""
    table = load_aliases(platform, kind, context_aliases(ctx))
    at = locate_header(records, table)
    raw = build_table(records, at, pad=True)
    res = resolve_header(raw.header, table, required=required, file=path, row=raw.header_line)
    return raw, res, locale_of(raw, res, numeric, ",")


def sum_counts(*series: pd.Series) -> pd.Series:
    """Element-wise sum of nullable counts: NA only where every term is NA."""
    frame = pd.concat(series, axis=1)
    total = frame.sum(axis=1, min_count=1)
    return total.astype(series[0].dtype)


#: Unambiguous ISO date and time formats (year first).
ISO_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
)


def numeric_date_formats(
    locale: Locale, times: Sequence[str] = ("", " %H:%M", " %H:%M:%S")
) -> list[str]:
    """``dd/mm/yyyy`` (day first) or ``mm/dd/yyyy`` formats, never both, plus ISO ones."""
    base = "%d/%m/%Y" if locale.dayfirst else "%m/%d/%Y"
    return [base + t for t in times] + list(ISO_FORMATS)


_CANONICAL_DTYPES = {
    "string": "string",
    "Int64": "Int64",
    "Float64": "Float64",
    "boolean": "boolean",
    "timestamp": "datetime64[ns, UTC]",
    "date": "datetime64[ns]",
}


def canonical(table: str, data: pd.DataFrame) -> pd.DataFrame:
    """Reorder ``data`` into the canonical columns of ``table`` plus ``source_row``.

    Columns the export does not give are NA (typed); helper columns are dropped. Provenance
    other than ``source_row`` is left to the ingest step.
    """
    from ..schema import TABLES

    t = TABLES[table]
    out = {}
    for c in t.columns:
        if c.name in data:
            s = data[c.name]
            if c.dtype in ("string", "boolean", "Int64", "Float64"):
                s = s.astype(_CANONICAL_DTYPES[c.dtype])
            out[c.name] = s
        else:
            out[c.name] = pd.Series(
                pd.NA if c.dtype not in ("timestamp", "date") else pd.NaT,
                index=data.index,
                dtype=_CANONICAL_DTYPES[c.dtype],
            )
    out["source_row"] = (
        data["source_row"].astype("int64") if "source_row" in data else pd.Series(dtype="int64")
    )
    return pd.DataFrame(out, index=data.index)


_DIGITS = re.compile(r"^\d+$")


def check_ids(b: RowBuilder, name: str, *, digits: bool = True) -> pd.Series:
    """Parse an id field as text; with ``digits``, anything but digits is quarantined.

    Ids are never read as numbers: ``1.23457E+18`` (a spreadsheet re-save) is a failure.
    """
    ids = b.text(name)
    if digits:
        bad = ids.notna() & ~ids.fillna("").str.match(_DIGITS)
        b.fail(
            ids.index[bad],
            b.header_of(name),
            ids[bad],
            "expected an id made of digits; this one looks mangled (a spreadsheet may have "
            "turned it into a number such as 1.23E+18)",
        )
    return ids


#: Post-type words seen in exports (normalised, English and French) → ``schema.POST_FORMATS``.
POST_FORMAT_WORDS: dict[str, str] = {
    **dict.fromkeys(["photo", "photos", "image", "images", "picture", "ig image"], "image"),
    **dict.fromkeys(["video", "videos", "shared video", "ig video", "native video"], "video"),
    **dict.fromkeys(["reel", "reels", "ig reel", "ig reels", "clips"], "reel"),
    **dict.fromkeys(
        [
            "carousel",
            "carrousel",
            "album",
            "albums",
            "ig carousel",
            "carousel_album",
            "multi-photo",
        ],
        "carousel",
    ),
    **dict.fromkeys(["story", "stories", "ig story", "ig stories"], "story"),
    **dict.fromkeys(["link", "links", "lien", "liens", "article", "articles"], "link"),
    **dict.fromkeys(["text", "texte", "status", "statut", "statuts", "text only"], "text"),
    **dict.fromkeys(["live", "lives", "live video", "en direct", "video en direct"], "live"),
    **dict.fromkeys(["short", "shorts"], "short"),
    **dict.fromkeys(["document", "documents", "pdf"], "document"),
    **dict.fromkeys(["poll", "polls", "sondage", "sondages"], "poll"),
    **dict.fromkeys(["event", "evenement", "note", "offer", "music", "other", "autre"], "other"),
}


def map_formats(
    b: RowBuilder, name: str = "format", words: dict[str, str] | None = None
) -> pd.Series:
    """Map the export's post types to :data:`~kpi_notebook_lib.schema.POST_FORMATS`.

    An unknown type becomes ``other`` and is listed in the builder's notes.
    """
    words = words or POST_FORMAT_WORDS
    raw = b.text(name, to=f"_{name}_raw")
    out = raw.map(lambda v: words.get(normalize_header(v)), na_action="ignore")
    unknown = raw[raw.notna() & out.isna()]
    out = out.where(raw.isna() | out.notna(), "other").astype("string")
    if len(unknown):
        kinds = ", ".join(repr(k) for k in sorted(set(unknown)))
        b.notes.append(f"unknown post type(s) {kinds} stored as format 'other'.")
    b.set("format", out)
    return out
