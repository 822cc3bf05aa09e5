"""Ingest a client's raw exports into the store.

For each file (or export folder) under ``clients/<id>/exports/``: recognise it by content, parse
it, add provenance, validate it against the canonical schema, score the tone of new mentions,
and upsert the rows into the store (natural keys; the latest export wins; every replacement is
counted). Rows that fail are quarantined with file, row, column, value and reason. A file whose
bytes were already ingested is skipped, so ingesting twice changes nothing.

The tone of stored mentions is kept in step with the scoring: the store records the
:func:`~kpi_notebook_lib.sentiment.scoring_key` it was scored under, and when that key changes
(a new version of the scorers, an edited ``lexicon.csv``) every stored mention is scored again
(cheap: the score cache answers for unchanged texts), so old and new exports are never read
with two different scorers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from . import schema
from .exceptions import ImportFormatError, KPIError
from .io import ImportContext, detect, file_sha256, read_head, registered
from .safety import neutralize_formulas
from .schema import QUARANTINE_COLUMNS, TABLES

if TYPE_CHECKING:  # pragma: no cover
    from .workspace import Client

__all__ = ["SUMMARY_COLUMNS", "IngestReport", "ingest_client"]

SUMMARY_COLUMNS = [
    "client",
    "file",
    "importer",
    "platform",
    "tables",
    "rows",
    "imported",
    "quarantined",
    "replaced",
    "superseded",
    "status",
    "message",
]
_SKIP_NAMES = {"readme", "readme.md", "readme.txt", ".ds_store", "thumbs.db", "desktop.ini"}


@dataclass
class IngestReport:
    """What an ingest did.

    Attributes
    ----------
    summary : pandas.DataFrame
        One row per file: ``client, file, importer, platform, tables, rows, imported,
        quarantined, replaced, superseded, status, message``. ``status`` is ``imported``,
        ``unchanged`` (same bytes already ingested), ``duplicate`` (same bytes as another file)
        or ``failed`` (the file could not be imported at all: see ``message``). One more row,
        file ``(stored mentions)`` and status ``rescored``, says when the stored mentions were
        scored again because the tone scorers or the client's lexicon changed.
    quarantine : pandas.DataFrame
        Every value that did not land: ``table, file, row, column, value, reason``.
    """

    summary: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SUMMARY_COLUMNS))
    quarantine: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=QUARANTINE_COLUMNS)
    )

    @property
    def failed(self) -> pd.DataFrame:
        """Files that could not be imported at all."""
        return self.summary[self.summary["status"] == "failed"]

    @property
    def ok(self) -> bool:
        """True when every file was imported (quarantined rows do not make it fail)."""
        return self.failed.empty

    def extend(self, other: IngestReport) -> None:
        """Append another report (another client)."""
        self.summary = pd.concat([self.summary, other.summary], ignore_index=True)
        self.quarantine = pd.concat([self.quarantine, other.quarantine], ignore_index=True)


def _units(exports: Path) -> list[Path]:
    """Export files, and export folders that a folder importer recognises, in stable order."""
    folder_importers = [i for i in registered() if i.folder]
    units: list[Path] = []

    def walk(d: Path) -> None:
        for p in sorted(d.iterdir()):
            if p.name.startswith((".", "~$")) or p.name.lower() in _SKIP_NAMES:
                continue
            if p.is_dir():
                head = read_head(p)
                if any(_sniff(i, head) for i in folder_importers):
                    units.append(p)
                else:
                    walk(p)
            elif p.is_file():
                units.append(p)

    if exports.is_dir():
        walk(exports)
    return units


def _sniff(importer, head) -> bool:
    try:
        return bool(importer.sniff(head))
    except Exception:
        return False


def _exported_at(path: Path, parsed_value) -> pd.Timestamp:
    if parsed_value is not None and not pd.isna(parsed_value):
        ts = pd.Timestamp(parsed_value)
        return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    return pd.Timestamp(path.stat().st_mtime, unit="s", tz="UTC")


def ingest_client(
    client: Client, *, rebuild: bool = False, year: int | None = None
) -> IngestReport:
    """Ingest every export of one client. See the module docstring.

    Parameters
    ----------
    client : Client
        From :meth:`kpi_notebook_lib.workspace.Workspace.client`.
    rebuild : bool
        Forget the stored tables and ingest every file again.
    year : int, optional
        Year for exports whose dates carry none (TikTok), when the file does not tell.

    Returns
    -------
    IngestReport
    """
    store = client.workspace.store
    cid = client.id
    if rebuild:
        for table in TABLES:
            store.path(cid, table).unlink(missing_ok=True)
        for name in ("manifest.json", "quarantine.csv", TONE_KEY_FILE):
            (store.root / cid / name).unlink(missing_ok=True)
    manifest = store.manifest(cid)
    ctx = ImportContext(
        client=cid,
        timezone=client.settings.timezone,
        client_dir=client.dir,
        brand=client.settings.brand or cid,
        aliases=client.workspace.aliases(),
        year=year,
    )
    known_hashes = {v["hash"]: k for k, v in manifest.items()}
    summary, quarantines = [], []
    new_rows: dict[str, list[pd.DataFrame]] = {t: [] for t in TABLES}
    per_file: list[tuple[str, dict]] = []
    seen_now: dict[str, str] = {}

    for unit in _units(client.dir / "exports"):
        rel = unit.relative_to(client.dir).as_posix()
        row = dict.fromkeys(SUMMARY_COLUMNS, pd.NA) | {"client": cid, "file": rel}
        digest = file_sha256(unit)
        if manifest.get(rel, {}).get("hash") == digest:
            summary.append(row | {"status": "unchanged", "message": "already ingested"})
            continue
        dup_of = seen_now.get(digest) or (
            known_hashes.get(digest) if known_hashes.get(digest) != rel else None
        )
        if dup_of:
            summary.append(row | {"status": "duplicate", "message": f"same bytes as {dup_of}"})
            continue
        seen_now[digest] = rel
        try:
            head = read_head(unit)
            importer = detect(unit, head)
            parsed = importer.read(unit, head, ctx)
        except ImportFormatError as err:
            summary.append(row | {"status": "failed", "message": str(err)})
            continue
        except KPIError as err:
            summary.append(row | {"status": "failed", "message": f"{rel}: {err}"})
            continue
        exported_at = _exported_at(unit, parsed.exported_at)
        q = parsed.quarantine.copy()
        q["table"] = ",".join(parsed.tables) or "?"
        q["file"] = rel
        file_q = [q[QUARANTINE_COLUMNS]] if len(q) else []
        counts = {"rows": len(q["row"].unique()) if len(q) else 0, "imported": 0}
        for table, frame in parsed.tables.items():
            frame = frame.copy()
            frame["client"] = cid
            frame["source_file"] = rel
            frame["source_hash"] = digest
            frame["exported_at"] = exported_at
            try:
                typed = schema.coerce(table, frame)
            except (ValueError, TypeError) as err:
                summary.append(row | {"status": "failed", "message": f"{rel}: {err}"})
                break
            valid, bad = schema.validate(table, typed)
            counts["rows"] += len(frame)
            counts["imported"] += len(valid)
            if len(bad):
                file_q.append(bad)
            new_rows[table].append(valid)
        else:
            fq = (
                pd.concat(file_q, ignore_index=True)
                if file_q
                else pd.DataFrame(columns=QUARANTINE_COLUMNS)
            )
            quarantines.append(fq)
            qrows = fq[["table", "row"]].drop_duplicates().shape[0] if len(fq) else 0
            per_file.append(
                (
                    rel,
                    row
                    | {
                        "importer": parsed.importer,
                        "platform": parsed.platform or "",
                        "tables": ",".join(parsed.tables),
                        "rows": counts["rows"],
                        "imported": counts["imported"],
                        "quarantined": qrows,
                        "replaced": 0,
                        "superseded": 0,
                        "status": "imported",
                        "message": "; ".join(parsed.notes),
                        "_hash": digest,
                        "_exported_at": exported_at.isoformat(),
                    },
                )
            )

    had_mentions = store.path(cid, "mentions").exists()
    stats = {rel: info for rel, info in per_file}
    for table, frames in new_rows.items():
        frames = [f for f in frames if len(f)]
        if not frames:
            continue
        incoming = pd.concat(frames, ignore_index=True)
        if table == "mentions":
            incoming = _score_tone(client, incoming)
        _upsert(store, cid, table, incoming, stats)

    for rel, info in per_file:
        manifest[rel] = {
            "hash": info.pop("_hash"),
            "exported_at": info.pop("_exported_at"),
            "importer": info["importer"],
            "rows": int(info["rows"]),
            "imported": int(info["imported"]),
            "quarantined": int(info["quarantined"]),
        }
        summary.append(info)
    rescored = _refresh_tone(client, had_mentions)
    if rescored:
        summary.append(
            dict.fromkeys(SUMMARY_COLUMNS, pd.NA)
            | {
                "client": cid,
                "file": "(stored mentions)",
                "tables": "mentions",
                "rows": rescored,
                "status": "rescored",
                "message": f"{rescored} stored mentions scored again: the tone scorers, the "
                "language detector or the client's lexicon changed since they were scored",
            }
        )
    store.write_manifest(cid, manifest)
    qall = (
        pd.concat(quarantines, ignore_index=True)
        if quarantines
        else pd.DataFrame(columns=QUARANTINE_COLUMNS)
    )
    if per_file:
        store.replace_quarantine(cid, {rel for rel, _ in per_file}, neutralize_formulas(qall))
    return IngestReport(pd.DataFrame(summary, columns=SUMMARY_COLUMNS), qall)


def _upsert(store, cid: str, table: str, incoming: pd.DataFrame, stats: dict) -> None:
    """Merge ``incoming`` into the stored table: latest export wins per natural key."""
    key = list(TABLES[table].key)
    existing = store.read(cid, table)
    # rows re-imported from a file whose content changed replace that file's old rows
    existing = existing[~existing["source_file"].isin(incoming["source_file"].unique())]
    existing = existing.assign(_new=False)
    incoming = incoming.assign(_new=True)
    both = pd.concat([existing, incoming], ignore_index=True)
    both["_order"] = range(len(both))
    both = both.sort_values(["exported_at", "_order"], kind="stable")
    dup = both.duplicated(key, keep="last")
    loser = both[dup]
    # rows of an older export (stored, or from another file of this batch) that an incoming
    # row replaced, counted for the incoming row's file
    winners = both[~dup]
    replaced_keys = loser[key].merge(winners.loc[winners["_new"], [*key, "source_file"]], on=key)
    for f, n in replaced_keys.groupby("source_file").size().items():
        if f in stats:
            stats[f]["replaced"] += int(n)
    # incoming rows that lost against a newer export
    for f, n in loser[loser["_new"]].groupby("source_file").size().items():
        if f in stats:
            stats[f]["superseded"] += int(n)
    keep = winners.drop(columns=["_new", "_order"])
    if table == "audience":
        # platforms export one account-day's metrics in several files (Meta: one file per
        # metric; LinkedIn: three workbooks; TikTok: overview and follower history): each
        # metric takes its latest reported value, a file that does not carry it erases nothing
        metrics = list(TABLES[table].metrics)
        latest = both.groupby(key, sort=False)[metrics].last()  # last non-NA, export order
        keep = keep.set_index(key)
        keep[metrics] = latest.reindex(keep.index)
        keep = keep.reset_index()
    store.write(cid, table, keep.sort_values(key, ignore_index=True))


#: File of the store (per client) holding the scoring key of the stored mentions' tone.
TONE_KEY_FILE = "tone_key.txt"


def _refresh_tone(client: Client, had_mentions: bool) -> int:
    """Re-score every stored mention when the scoring key changed since they were scored
    (a library upgrade, an edited lexicon file); record the key. The number re-scored."""
    from .sentiment import scoring_key
    from .store import atomic_write_text

    store, cid = client.workspace.store, client.id
    if not store.path(cid, "mentions").exists():
        return 0
    key = scoring_key(client.lexicon_overrides_path())
    path = store.root / cid / TONE_KEY_FILE
    stored = path.read_text("utf-8").strip() if path.exists() else None
    if stored == key:
        return 0
    n = 0
    if had_mentions:  # scored before this run, under another (or an unrecorded) key
        mentions = store.read(cid, "mentions")
        store.write(cid, "mentions", _score_tone(client, mentions))
        n = len(mentions)
    atomic_write_text(path, key + "\n")
    return n


def _score_tone(client: Client, mentions: pd.DataFrame) -> pd.DataFrame:
    """Fill ``compound``, ``sentiment`` and ``scored_lang`` of new mentions."""
    try:
        from .tone import score_mentions
    except ImportError:  # pragma: no cover - the tone module ships with the package
        return mentions
    overrides = client.lexicon_overrides_path()
    cache = client.workspace.store.root / "_cache"
    return score_mentions(mentions, overrides=overrides, cache=cache)
