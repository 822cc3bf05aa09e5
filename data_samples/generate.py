"""Generate the sample workspace: three clients, 23 months of realistic, seeded data.

Usage::

    python data_samples/generate.py [--out data_samples] [--seed 20261126] [--client ID]
                                    [--layout raw|template]

Posts and audience are written as the platforms' own export files (``--layout raw``, the
default: see ``_gen/raw_writers.py``) or as the toolkit's CSV templates (``--layout template``);
mentions and conversions are always templates (no listening tool or CRM format is read), and
the competitor benchmarks are half-yearly template files named by their date range.

The output is deterministic for a given seed: every client and table draws from its own
generator derived from (seed, client id, table), so ``--client`` rebuilds one client with exactly
the bytes a full run writes. Derived folders (``store/``, ``reports/``) are not touched.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _gen import (
    CLIENTS,
    build_client,
    write_client_files,
    write_template_exports,
)
from _gen.raw_writers import as_ingested, write_raw_exports
from _gen.writers import write_benchmark_exports

DEFAULT_SEED = 20261126


def generate(
    out: Path,
    *,
    seed: int = DEFAULT_SEED,
    clients: list[str] | None = None,
    layout: str = "raw",
) -> dict:
    """Write the sample clients under ``out/clients`` and return row counts per client/table.

    Parameters
    ----------
    out : Path
        Workspace folder (created if needed).
    seed : int
        Base seed.
    clients : list of str, optional
        Client ids to (re)generate; default: all.
    layout : {"raw", "template"}
        Posts and audience as the platforms' export files, or as template CSV files.

    Returns
    -------
    dict
        ``{client id: {table: rows}}``.
    """
    counts = {}
    for cid in clients or list(CLIENTS):
        spec = CLIENTS[cid]
        client_dir = out / "clients" / cid
        if (client_dir / "exports").exists():
            shutil.rmtree(client_dir / "exports")  # stale files of an older layout
        frames = build_client(spec, seed)
        if layout == "raw":
            write_raw_exports(spec, frames, client_dir, seed)
            write_template_exports(frames, client_dir, tables=("mentions", "conversions"))
            # targets are set on what the toolkit will compute from these exports
            write_client_files(spec, as_ingested(spec, frames), client_dir)
            _drop_unmeasurable_targets(client_dir / "targets.csv")
        else:
            write_template_exports(frames, client_dir)
            write_client_files(spec, frames, client_dir)
        write_benchmark_exports(frames["benchmarks"], client_dir)
        counts[cid] = {t: len(f) for t, f in frames.items()}
    return counts


def _drop_unmeasurable_targets(path: Path) -> None:
    """Remove the targets of KPIs the exports cannot give (their estimate is NaN, e.g. a
    reach-based rate on LinkedIn, whose exports carry no post reach)."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.rstrip("\n").endswith(",nan")]
    if len(kept) != len(lines):
        path.write_bytes("".join(kept).encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="workspace folder (default: data_samples/)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="base seed")
    parser.add_argument("--client", choices=sorted(CLIENTS), default=None,
                        help="only this client (default: all)")
    parser.add_argument("--layout", choices=("raw", "template"), default="raw",
                        help="posts and audience as platform exports (default) or templates")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    counts = generate(
        args.out,
        seed=args.seed,
        clients=[args.client] if args.client else None,
        layout=args.layout,
    )
    for cid, tables in counts.items():
        print(cid, ", ".join(f"{t}={n}" for t, n in tables.items()))
    print(f"written to {args.out} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
