"""Where a batch writes, and how: validated paths, staging folders swapped into place, input
fingerprints for the up-to-date check, manifests and spreadsheet-safe tables.

Layout under the output root (``<workspace>/reports`` by default)::

    <client>/<period>/                        the published report, complete or absent
        report.html  report.pdf  report.ipynb  kpis.csv  kpis.parquet  posts.csv  alerts.csv
        alerts.parquet  manifest.json
    <client>/.<period>.<run>.staging/         being written (never read as a report)
    _batch/<period>/batch.json                every client of the period: status, timings, error
    _batch/<period>/summary.csv               the same, one row per client
    _batch/<period>/index.html                the agency overview page
    _batch/<period>/failed/<client>/          executed notebook and manifest of a failed client

A client's report folder is only ever replaced whole: the new one is written to a staging
folder next to it and swapped in with one ``renameat2(RENAME_EXCHANGE)`` on Linux (two renames
elsewhere, undone by :func:`recover` if the process dies between them). A crash or ``kill -9``
at any point leaves either the previous report or the new one, never a mix or a partial one.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import sys
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from ..exceptions import ParameterError
from ..safety import check_client_id, neutralize_formulas

__all__ = [
    "BATCH_DIR",
    "atomic_write_text",
    "check_batch_ids",
    "client_report_dir",
    "failed_dir",
    "input_fingerprint",
    "is_up_to_date",
    "package_versions",
    "publish",
    "read_json",
    "recover",
    "safe_csv",
    "staging_dir",
    "write_bytes",
    "write_json",
    "write_tables",
    "write_text",
]

#: Folder of the output root holding batch records and overviews (not a valid client id).
BATCH_DIR = "_batch"
MANIFEST = "manifest.json"
_FORMAT_FILES = {"html": "report.html", "pdf": "report.pdf"}
_ALWAYS = (
    "report.ipynb",
    "kpis.csv",
    "kpis.parquet",
    "posts.csv",
    "alerts.csv",
    "alerts.parquet",
    MANIFEST,
)
_VERSION_NAMES = (
    "kpi-notebook-lib",
    "pandas",
    "numpy",
    "pyarrow",
    "duckdb",
    "matplotlib",
    "seaborn",
    "papermill",
    "nbclient",
    "nbconvert",
    "ipykernel",
    "weasyprint",
    "vaderSentiment",
)


# paths --------------------------------------------------------------------------------------
def check_batch_ids(ids: Iterable[str]) -> list[str]:
    """Validate client ids for a batch: each a safe slug, and no two the same folder on a
    case-insensitive or normalising file system.

    Raises
    ------
    ParameterError
        For ``..``, slashes, absolute paths, NUL, capitals, accents, and for two ids equal
        once Unicode-normalised (NFKC) and case-folded.
    """
    seen: dict[str, str] = {}
    out = []
    for cid in ids:
        key = unicodedata.normalize("NFKC", cid).casefold() if isinstance(cid, str) else cid
        if key in seen:
            raise ParameterError(
                "client", cid, f"an id that is not the same folder as {seen[key]!r}"
            )
        check_client_id(cid)
        seen[key] = cid
        out.append(cid)
    return out


def _under(root: Path, *parts: str) -> Path:
    root = Path(root).resolve()
    path = root.joinpath(*parts).resolve()
    if path == root or not path.is_relative_to(root):
        raise ParameterError("client", "/".join(parts), f"an id whose output stays under {root}")
    return path


def client_report_dir(output_root: Path, client: str, period: str) -> Path:
    """``<output_root>/<client>/<period>``, resolved, refused when it leaves the root.

    Raises
    ------
    ParameterError
        When ``client`` is not a valid id, or a symbolic link takes the path elsewhere.
    """
    check_client_id(client)
    return _under(output_root, client, period)


def batch_dir(output_root: Path, period: str) -> Path:
    """``<output_root>/_batch/<period>``."""
    return _under(output_root, BATCH_DIR, period)


def failed_dir(output_root: Path, client: str, period: str) -> Path:
    """Where the executed notebook of a failed client is kept."""
    check_client_id(client)
    return _under(output_root, BATCH_DIR, period, "failed", client)


def staging_dir(target: Path, run_id: str) -> Path:
    """A fresh staging folder next to ``target`` (same file system, so it can be swapped)."""
    if not re.fullmatch(r"[0-9A-Za-z-]+", run_id):
        raise ParameterError("run_id", run_id, "letters, digits and dashes")
    path = target.parent / f".{target.name}.{run_id}.staging"
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


# writing ------------------------------------------------------------------------------------
def write_bytes(path: Path, data: bytes) -> None:
    """Write and fsync ``data`` (inside a staging folder: the folder swap is the atomic step)."""
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def write_text(path: Path, text: str) -> None:
    """UTF-8 :func:`write_bytes`."""
    write_bytes(path, text.encode("utf-8"))


def write_json(path: Path, data: Any) -> None:
    """Indented, key-sorted JSON (UTF-8) through :func:`write_text`."""
    write_text(path, json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False, default=str))


def atomic_write_text(path: Path, text: str) -> None:
    """Replace ``path`` atomically (temporary file in the same folder, fsync, rename), with
    the permissions a plain ``open`` gives (the umask's), so a web server can serve it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        write_text(tmp, text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_json(path: Path) -> dict[str, Any] | None:
    """A JSON file, or None when it is missing or unreadable (a torn file counts as missing)."""
    try:
        return json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError):
        return None


def write_tables(
    folder: Path,
    comparison: pd.DataFrame,
    posts: pd.DataFrame,
    alerts: pd.DataFrame | None = None,
) -> None:
    """The KPI table as Parquet (typed, for machines) and CSV, the period's posts as CSV, and
    its alerts as Parquet and CSV (read by the batch overview).

    CSV files are opened in spreadsheets: text cells that would run as formulas (``=``, ``+``,
    ``-``, ``@``, tab, CR) are neutralised with
    :func:`~kpi_notebook_lib.safety.neutralize_formulas`.
    """
    comparison.to_parquet(folder / "kpis.parquet", index=False)
    write_text(folder / "kpis.csv", safe_csv(comparison))
    write_text(folder / "posts.csv", safe_csv(posts))
    if alerts is not None:
        alerts.to_parquet(folder / "alerts.parquet", index=False)
        write_text(folder / "alerts.csv", safe_csv(alerts))


def safe_csv(data: pd.DataFrame) -> str:
    """RFC 4180 CSV (CRLF rows, so a caption's bare CR or LF is quoted, not a row break) whose
    text cells cannot run as spreadsheet formulas."""
    return neutralize_formulas(data).to_csv(index=False, lineterminator="\r\n")


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux ``renameat2(RENAME_EXCHANGE)``; False when the
    platform or file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(err, os.strerror(err), str(b))


def publish(staging: Path, target: Path) -> None:
    """Put the complete report folder ``staging`` in place of ``target``.

    With an existing ``target`` the two folders are exchanged atomically where the platform can
    (then the old one is deleted); elsewhere ``target`` is renamed aside, ``staging`` renamed
    in, and the old one deleted — :func:`recover` puts the old one back if the process dies
    between the two renames.
    """
    parent = target.parent
    _fsync_dir(staging)
    if target.exists():
        if _exchange(staging, target):
            shutil.rmtree(staging, ignore_errors=True)
        else:
            old = staging.with_name(staging.name.removesuffix(".staging") + ".old")
            os.rename(target, old)
            os.rename(staging, target)
            shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(staging, target)
    _fsync_dir(parent)


def recover(target: Path) -> None:
    """Undo what a crashed run left next to ``target``: put back a previous report renamed
    aside (when ``target`` is missing) and delete stale staging folders."""
    parent = target.parent
    if not parent.is_dir():
        return
    prefix = f".{target.name}."
    olds = sorted(
        (p for p in parent.iterdir() if p.name.startswith(prefix) and p.name.endswith(".old")),
        key=lambda p: p.stat().st_mtime,
    )
    if olds and not target.exists():
        os.rename(olds.pop(), target)
    for p in parent.iterdir():
        if p.name.startswith(prefix) and p.name.endswith((".old", ".staging")):
            shutil.rmtree(p, ignore_errors=True)


# fingerprints ------------------------------------------------------------------------------
def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, in hex."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _tree_hash(root: Path, patterns: tuple[str, ...] = ("*",)) -> str:
    h = hashlib.sha256()
    files = sorted({p for pat in patterns for p in Path(root).rglob(pat) if p.is_file()})
    for p in files:
        if "__pycache__" in p.parts:
            continue
        h.update(p.relative_to(root).as_posix().encode() + b"\0")
        h.update(sha256_file(p).encode() + b"\n")
    return h.hexdigest()


@cache
def package_versions() -> dict[str, str]:
    """Python and the versions of the packages a report depends on."""
    import importlib.metadata as md
    import platform

    out = {"python": platform.python_version()}
    for name in _VERSION_NAMES:
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            continue
    return out


@cache
def _code_hash() -> str:
    return _tree_hash(Path(__file__).resolve().parents[1])


def input_fingerprint(
    client: Any,
    *,
    parameters: dict[str, Any],
    formats: Iterable[str],
    notebooks: dict[str, Path],
    templates_dir: Path,
) -> dict[str, Any]:
    """Everything a report depends on, hashed; ``fingerprint`` hashes it all.

    Parameters
    ----------
    client : Client
        After ingestion: its store manifest holds the SHA-256 of every export file.
    parameters : dict
        The notebook parameters (period, comparison, language…).
    formats : iterable of str
    notebooks : dict
        Part name → notebook path.
    templates_dir : path
        nbconvert templates folder.

    Returns
    -------
    dict
        ``fingerprint`` plus its ingredients: ``exports`` (store manifest hashes), ``settings``
        (client folder files: ``client.yml``, ``targets.csv``, ``annotations.csv``, logo…),
        ``aliases``, ``notebooks``, ``templates``, ``code`` (the package's files) and
        ``versions``.
    """
    ws = client.workspace
    manifest = ws.store.manifest(client.id)
    aliases = ws.root / "aliases.yml"
    parts = {
        "parameters": {k: parameters[k] for k in sorted(parameters) if k != "workspace"},
        "formats": sorted(formats),
        "exports": {rel: info.get("hash") for rel, info in sorted(manifest.items())},
        "settings": {
            p.name: sha256_file(p)
            for p in sorted(client.dir.iterdir())
            if p.is_file() and not p.name.startswith(".")
        },
        "aliases": sha256_file(aliases) if aliases.exists() else None,
        "notebooks": {name: sha256_file(p) for name, p in notebooks.items()},
        "templates": _tree_hash(templates_dir),
        "code": _code_hash(),
        "versions": package_versions(),
    }
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()
    return {"fingerprint": hashlib.sha256(blob).hexdigest(), **parts}


def expected_files(formats: Iterable[str]) -> list[str]:
    """Files a complete report folder holds for ``formats``."""
    return [*(_FORMAT_FILES[f] for f in formats), *_ALWAYS]


def is_up_to_date(target: Path, fingerprint: str, formats: Iterable[str]) -> dict | None:
    """The published manifest when ``target`` is a complete report built from the same
    inputs (same fingerprint, every file present with its recorded size), else None."""
    manifest = read_json(target / MANIFEST)
    if not manifest or manifest.get("status") != "succeeded":
        return None
    if manifest.get("inputs", {}).get("fingerprint") != fingerprint:
        return None
    outputs = manifest.get("outputs", {})
    for name in expected_files(formats):
        if name == MANIFEST:
            continue
        path = target / name
        if name not in outputs or not path.is_file():
            return None
        if path.stat().st_size != outputs[name].get("bytes"):
            return None
    return manifest
