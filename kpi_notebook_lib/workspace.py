"""Workspaces, clients and their settings.

A workspace is a folder::

    <workspace>/clients/<client-id>/client.yml     name, language, time zone, currency, competitors,
                                                   primary KPIs, thresholds, branding
    <workspace>/clients/<client-id>/exports/**     raw platform exports, as downloaded (read only)
    <workspace>/clients/<client-id>/targets.csv    numeric targets per KPI and period
    <workspace>/clients/<client-id>/annotations.csv  dated events and analyst comments
    <workspace>/clients/<client-id>/lexicon.csv    optional tone overrides (term,valence)
    <workspace>/aliases.yml                        optional extra export header aliases
    <workspace>/store/                             derived, rebuildable (``kpi ingest``)
    <workspace>/reports/                           outputs

Three lines from a notebook::

    ws = open_workspace("data_samples")
    c = ws.client("boulangerie-dupont")
    c.kpis(period="2026-10", compare_to="previous")
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .catalog import get_catalog
from .compare import compare
from .exceptions import NoDataError, ParameterError, SettingsError
from .kpis import compute_kpis
from .periods import FREQUENCIES, Period, parse_period, period_of
from .safety import check_client_id
from .schema import PLATFORMS, TABLES
from .significance import change_tests
from .store import Store
from .units import unit_tables

__all__ = [
    "ANNOTATION_COLUMNS",
    "TARGET_COLUMNS",
    "Client",
    "ClientSettings",
    "Workspace",
    "open_workspace",
]

TARGET_COLUMNS = ["kpi", "platform", "period", "target"]
ANNOTATION_COLUMNS = [
    "date",
    "end_date",
    "kind",
    "platform",
    "kpi",
    "period",
    "title",
    "text",
    "author",
]
#: Tables already computed in this process (a report's sections share them), by inputs.
_MEMO: dict[tuple, pd.DataFrame] = {}
#: Weeks of history the alert baseline is built from.
ALERT_WINDOW_WEEKS = 8
ANNOTATION_KINDS = ("event", "campaign", "incident", "comment")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


class Competitor(BaseModel):
    """A named competitor tracked in mentions."""

    model_config = ConfigDict(extra="forbid")
    id: str
    name: str

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        return check_client_id(v)


class Thresholds(BaseModel):
    """Status thresholds (tolerance below target still counted as "watch") and statistics.

    ``alpha`` is the level of the significance tests of changes (5 % by default);
    ``multiple_testing`` how the p-values of a KPI table are adjusted for being tested
    together: ``benjamini_hochberg`` (the default: on average at most ``alpha`` of the changes
    a platform's table calls rises or falls are noise, however many KPIs are tested) or
    ``none`` (each change on its own: a change that is pure noise is called a rise or a fall
    ``alpha`` of the time, so a table of forty changes shows about two such calls);
    ``power`` is the power the minimum detectable change is computed for;
    ``false_alarms_per_month`` is the alert budget (alerts expected per client and month on
    quiet history).
    """

    model_config = ConfigDict(extra="forbid")
    watch: float | None = Field(default=None, ge=0, le=1)
    kpis: dict[str, float] = Field(default_factory=dict)
    alpha: float = Field(default=0.05, gt=0, lt=0.5)
    multiple_testing: Literal["benjamini_hochberg", "none"] = "benjamini_hochberg"
    power: float = Field(default=0.8, gt=0.5, lt=1)
    false_alarms_per_month: float = Field(default=1.0, gt=0, le=30)


class Branding(BaseModel):
    """White-label settings for reports."""

    model_config = ConfigDict(extra="forbid")
    primary_color: str = "#1f4e79"
    secondary_color: str = "#e8eef5"
    logo: str | None = None

    @field_validator("primary_color", "secondary_color")
    @classmethod
    def _color(cls, v: str) -> str:
        if not _COLOR.match(v):
            raise ValueError(f"must be a colour like #1f4e79, not {v!r}")
        return v

    @field_validator("logo")
    @classmethod
    def _logo(cls, v: str | None) -> str | None:
        if v is not None and (Path(v).is_absolute() or ".." in Path(v).parts):
            raise ValueError("must be a file name inside the client folder")
        return v


class ClientSettings(BaseModel):
    """The content of ``client.yml``, validated."""

    model_config = ConfigDict(extra="forbid")
    name: str
    language: Literal["fr", "en"] = "en"
    timezone: str = "UTC"
    currency: str = "EUR"
    brand: str | None = None
    sector: str | None = None
    competitors: list[Competitor] = Field(default_factory=list)
    accounts: dict[str, str] = Field(default_factory=dict)
    primary_kpis: list[str] = Field(default_factory=list)
    thresholds: Thresholds = Field(default_factory=Thresholds)
    branding: Branding = Field(default_factory=Branding)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"must be an IANA time zone such as Europe/Paris, not {v!r}") from None
        return v

    @field_validator("currency")
    @classmethod
    def _currency(cls, v: str) -> str:
        if not re.fullmatch(r"[A-Z]{3}", v):
            raise ValueError(f"must be an ISO 4217 code such as EUR, not {v!r}")
        return v

    @field_validator("accounts")
    @classmethod
    def _platforms(cls, v: dict[str, str]) -> dict[str, str]:
        bad = [p for p in v if p not in PLATFORMS]
        if bad:
            raise ValueError(f"unknown platform(s) {bad}; expected some of {list(PLATFORMS)}")
        return v

    @field_validator("primary_kpis")
    @classmethod
    def _kpis(cls, v: list[str]) -> list[str]:
        cat = get_catalog()
        bad = [k for k in v if k not in cat]
        if bad:
            raise ValueError(f"unknown KPI id(s) {bad}; see `kpi catalog` for the ids")
        if len(v) > 10:
            raise ValueError(f"a dashboard shows at most 10 primary KPIs, {len(v)} were given")
        return v

    @classmethod
    def from_file(cls, path: Path) -> ClientSettings:
        """Load and validate ``client.yml`` (safe YAML), collecting every problem."""
        try:
            raw = yaml.safe_load(path.read_text("utf-8"))
        except FileNotFoundError:
            raise SettingsError(str(path), ["file not found"]) from None
        except yaml.YAMLError as err:
            raise SettingsError(str(path), [f"not valid YAML: {err}"]) from None
        if not isinstance(raw, dict):
            raise SettingsError(
                str(path), ["expected a mapping of settings (name: …, language: …)"]
            )
        try:
            return cls.model_validate(raw)
        except ValidationError as err:
            problems = []
            for e in err.errors():
                loc = ".".join(str(x) for x in e["loc"]) or "(top level)"
                msg = e["msg"].removeprefix("Value error, ")
                if e["type"] == "extra_forbidden":
                    msg = "unknown setting (misspelled?)"
                problems.append(f"{loc}: {msg} (found {e.get('input')!r})")
            raise SettingsError(str(path), problems) from None


class Client:
    """One client of a workspace: settings, stored data, targets, annotations and KPIs."""

    def __init__(self, workspace: Workspace, client_id: str) -> None:
        self.workspace = workspace
        self.id = check_client_id(client_id)
        self.dir = workspace.root / "clients" / client_id
        if not (self.dir / "client.yml").exists():
            raise ParameterError(
                "client",
                client_id,
                f"one of the workspace's clients ({', '.join(workspace.clients()) or 'none'})",
            )
        self.settings = ClientSettings.from_file(self.dir / "client.yml")

    def __repr__(self) -> str:
        return f"Client({self.id!r}, name={self.settings.name!r})"

    @property
    def language(self) -> str:
        """Client-facing language (``fr`` or ``en``)."""
        return self.settings.language

    @property
    def brand(self) -> str:
        """Id of the client's own brand in ``mentions.brand``."""
        return self.settings.brand or self.id

    # data -------------------------------------------------------------------------------
    def table(self, name: str) -> pd.DataFrame:
        """A canonical table of this client (``posts``, ``audience``, ``mentions``,
        ``conversions``), ingesting new exports first when needed."""
        if name not in TABLES:
            raise ParameterError("table", name, f"one of {', '.join(TABLES)}")
        self.workspace.ensure_ingested(self.id)
        return self.workspace.store.read(self.id, name)

    def lexicon_overrides_path(self) -> Path | None:
        """The client's tone lexicon overrides file, if any."""
        for name in ("lexicon.csv", "lexicon.yml", "lexicon.yaml"):
            if (self.dir / name).exists():
                return self.dir / name
        return None

    @cached_property
    def targets(self) -> pd.DataFrame:
        """Targets (``kpi, platform, period, target``) from ``targets.csv``, validated."""
        path = self.dir / "targets.csv"
        if not path.exists():
            return pd.DataFrame(columns=TARGET_COLUMNS)
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        problems = []
        missing = [c for c in TARGET_COLUMNS if c not in raw.columns]
        if missing:
            raise SettingsError(
                str(path), [f"missing column(s) {missing}; expected {TARGET_COLUMNS}"]
            )
        cat = get_catalog()
        values = []
        for i, r in raw.iterrows():
            line = i + 2
            if r["kpi"] not in cat:
                problems.append(f"row {line}, column 'kpi': unknown KPI {r['kpi']!r}")
            if r["platform"] not in ("all", *PLATFORMS):
                problems.append(
                    f"row {line}, column 'platform': {r['platform']!r} is not 'all' "
                    f"or one of {', '.join(PLATFORMS)}"
                )
            if r["period"] not in FREQUENCIES:
                try:
                    parse_period(r["period"])
                except ParameterError:
                    problems.append(
                        f"row {line}, column 'period': {r['period']!r} is neither a "
                        "period like 2026-10 nor one of week/month/quarter/year"
                    )
            try:
                values.append(float(r["target"]))
            except ValueError:
                problems.append(f"row {line}, column 'target': {r['target']!r} is not a number")
                values.append(float("nan"))
        if problems:
            raise SettingsError(str(path), problems)
        out = raw[TARGET_COLUMNS].copy()
        out["target"] = values
        return out

    @cached_property
    def annotations(self) -> pd.DataFrame:
        """Dated events and analyst comments from ``annotations.csv``, validated."""
        path = self.dir / "annotations.csv"
        if not path.exists():
            return pd.DataFrame(columns=ANNOTATION_COLUMNS)
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        problems = []
        for c in ("date", "kind", "text"):
            if c not in raw.columns:
                problems.append(f"missing column {c!r}; expected {ANNOTATION_COLUMNS}")
        if problems:
            raise SettingsError(str(path), problems)
        raw = raw.reindex(columns=ANNOTATION_COLUMNS, fill_value="")
        for c in ("date", "end_date"):
            parsed = pd.to_datetime(raw[c].replace("", None), format="%Y-%m-%d", errors="coerce")
            bad = raw[c].ne("") & parsed.isna()
            for i in raw.index[bad]:
                problems.append(
                    f"row {i + 2}, column {c!r}: {raw.at[i, c]!r} is not a date like 2026-10-03"
                )
            raw[c] = parsed
        for i in raw.index[~raw["kind"].isin(ANNOTATION_KINDS)]:
            problems.append(
                f"row {i + 2}, column 'kind': {raw.at[i, 'kind']!r} is not one of "
                f"{', '.join(ANNOTATION_KINDS)}"
            )
        if problems:
            raise SettingsError(str(path), problems)
        return raw

    def comments(self, period: str | Period) -> pd.DataFrame:
        """Analyst comments for ``period`` (kind ``comment`` with that period label, or dated
        inside it when no period is given)."""
        p = parse_period(period)
        a = self.annotations
        a = a[a["kind"] == "comment"]
        inside = a["date"].dt.date.map(lambda d: p.contains(d) if pd.notna(d) else False)
        mask = (a["period"] == p.label) | ((a["period"] == "") & inside.astype(bool))
        return a[mask]

    def data_range(self) -> tuple[date, date]:
        """First and last local days with audience or posts data.

        Raises
        ------
        NoDataError
            When nothing has been ingested for this client.
        """
        self.workspace.ensure_ingested(self.id)
        import duckdb

        firsts, lasts = [], []
        tz = self.settings.timezone.replace("'", "''")
        for table, expr in (
            ("audience", "CAST(date AS DATE)"),
            ("posts", f"CAST(timezone('{tz}', published_at) AS DATE)"),
        ):
            p = self.workspace.store.path(self.id, table)
            if p.exists():
                lo, hi = duckdb.execute(
                    f"SELECT min({expr}), max({expr}) FROM read_parquet(?)", [str(p)]
                ).fetchone()
                if lo is not None:
                    firsts.append(lo)
                    lasts.append(hi)
        if not firsts:
            raise NoDataError(
                f"No data for client {self.id!r}: its exports folder {self.dir / 'exports'} holds "
                "nothing that could be imported."
            )
        return min(firsts), max(lasts)

    def latest_full_period(self, kind: str = "month") -> Period:
        """The latest period of ``kind`` fully covered by the data."""
        _, last = self.data_range()
        p = period_of(kind, last)
        return p if p.last_day <= last else p.previous()

    def check_period(self, period: str | Period) -> Period:
        """Parse ``period`` and check the client has data in it.

        Raises
        ------
        ParameterError
            When the period is malformed or outside the data.
        """
        p = parse_period(period)
        first, last = self.data_range()
        if p.end <= first or p.start > last:
            raise ParameterError(
                "period",
                p.label,
                f"a period with data for {self.id} (data from {first} to {last})",
            )
        return p

    # KPIs -------------------------------------------------------------------------------
    def kpis(
        self,
        period: str | Period,
        compare_to: str = "previous",
        *,
        kpis: list[str] | None = None,
        history: int = 6,
        significance: bool = True,
    ) -> pd.DataFrame:
        """KPIs of ``period`` compared with the previous period or last year, and targets.

        Parameters
        ----------
        period : str or Period
            ``2026-10``, ``2026-W43``, ``2026-Q3``… in the client's time zone.
        compare_to : {"previous", "last_year"}
        kpis : list of str, optional
            KPI ids (default: the whole catalog).
        history : int
            Number of periods (ending with ``period``) used for ``direction``.
        significance : bool
            Test every change (:func:`kpi_notebook_lib.significance.change_tests`) and add
            :data:`~kpi_notebook_lib.significance.SIGNIFICANCE_COLUMNS` (``verdict``,
            ``p_value``, ``ci_low``, ``ci_high``, the minimum detectable change ``mdc``…) at the
            level ``thresholds.alpha`` of ``client.yml``, the p-values adjusted together as
            ``thresholds.multiple_testing`` says (``p_adjusted``). The family is always the
            whole catalog on one platform, so a KPI's verdict does not depend on which
            ``kpis`` are asked for.

        Returns
        -------
        pandas.DataFrame
            Long-form, one row per platform (and ``all``) × KPI; see
            :data:`kpi_notebook_lib.compare.COMPARISON_COLUMNS`.
        """
        if compare_to not in ("previous", "last_year"):
            raise ParameterError("compare_to", compare_to, "'previous' or 'last_year'")
        p = self.check_period(period)
        if kpis and significance:
            # the verdicts are adjusted over the whole table: select from the whole table
            wanted = list(get_catalog().select(kpis))
            full = self.kpis(p, compare_to, history=history)
            order = {k.id: i for i, k in enumerate(wanted)}
            out = full[full["kpi"].isin(list(order))]
            out = out.sort_values("kpi", key=lambda c: c.map(order), kind="stable")
            out = out.reset_index(drop=True)
            out.attrs = dict(full.attrs)
            return out
        return self._memo(
            ("kpis", p.label, compare_to, tuple(kpis) if kpis else kpis, history, significance),
            lambda: self._kpis(
                p, compare_to, kpis=kpis, history=history, significance=significance
            ),
        )

    def _memo(self, args: tuple, compute) -> pd.DataFrame:
        """``compute()``, or the copy of a result already computed in this process for the same
        client, ``args`` and inputs (a report's sections share their tables this way)."""
        key = (str(self.workspace.root.resolve()), self.id, args, self._inputs_stamp())
        hit = _MEMO.get(key)
        if hit is None:
            hit = compute()
            if len(_MEMO) >= 32:
                _MEMO.pop(next(iter(_MEMO)))
            _MEMO[key] = hit
        out = hit.copy()
        out.attrs = dict(hit.attrs)
        return out

    def _inputs_stamp(self) -> tuple:
        """What a KPI table depends on besides its arguments: the store (its manifest changes
        at every ingest) and the client's settings and targets files."""
        self.workspace.ensure_ingested(self.id)
        stamp = []
        for path in (
            self.workspace.store.root / self.id / "manifest.json",  # rewritten at each check
            self.workspace.store.root / self.id / "tone_key.txt",  # tone scored again
            self.dir / "client.yml",
            self.dir / "targets.csv",
        ):
            try:
                stamp.append(hashlib.sha1(path.read_bytes()).hexdigest())
            except OSError:
                stamp.append(None)
        return tuple(stamp)

    def _kpis(
        self, p: Period, compare_to: str, *, kpis, history: int, significance: bool
    ) -> pd.DataFrame:
        hist = p.history(max(history, 2)) if p.kind != "custom" else [p.previous(), p]
        needed = {x.label: x for x in [*hist, p.previous(), p.last_year()]}
        values = self.kpi_values(list(needed.values()), kpis=kpis)
        watch = dict(self.settings.thresholds.kpis)
        if self.settings.thresholds.watch is not None:
            base = self.settings.thresholds.watch
            watch = {k: watch.get(k, base) for k in get_catalog()}
        out = compare(
            values,
            period=p,
            compare_to=compare_to,
            targets=self.targets,
            watch=watch,
            history=hist,
        )
        out["note"] = self._coverage_note(p, out["note"])
        if significance:
            against = p.previous() if compare_to == "previous" else p.last_year()
            tests = change_tests(
                self.units([p, against]),
                out,
                kpis=get_catalog().select(kpis),
                alpha=self.settings.thresholds.alpha,
                power=self.settings.thresholds.power,
                adjust=self.settings.thresholds.multiple_testing,
            )
            out = out.join(tests)
        return out

    def alerts(self, period: str | Period, *, platforms: bool = False) -> pd.DataFrame:
        """Alerts raised on the days of ``period`` (see :func:`kpi_notebook_lib.stats.alerts.
        detect_alerts`): daily mentions, negative mentions, interactions and follower changes
        checked against a day-of-week-aware baseline of the weeks before, with the false-alarm
        budget ``thresholds.false_alarms_per_month`` of ``client.yml``.

        Returns
        -------
        pandas.DataFrame
            One row per alert: ``client, platform, series, date, observed, expected, low,
            high, p_value, direction, severity…``.
        """

        p = self.check_period(period)
        return self._memo(("alerts", p.label, platforms), lambda: self._alerts(p, platforms))

    def _alerts(self, p: Period, platforms: bool) -> pd.DataFrame:
        from .series import daily_series
        from .stats.alerts import detect_alerts

        first, last = self.data_range()
        lo = max(first, p.start - timedelta(weeks=ALERT_WINDOW_WEEKS + 1))
        hi = min(last, p.last_day)
        series = daily_series(self, lo, hi, platforms=platforms)
        return detect_alerts(
            series,
            start=pd.Timestamp(p.start),
            end=pd.Timestamp(hi),
            false_alarms_per_month=self.settings.thresholds.false_alarms_per_month,
            window_weeks=ALERT_WINDOW_WEEKS,
            platforms=platforms,
        )

    def pacing(self, *, as_of: date | None = None) -> pd.DataFrame:
        """Targets of the periods in progress on ``as_of`` (default: the last day of data):
        projection, interval and chance of reaching them (:func:`kpi_notebook_lib.targets.
        pace_targets`)."""
        from .targets import pace_targets

        return self._memo(("pacing", as_of), lambda: pace_targets(self, as_of=as_of))

    def benchmarks(
        self, period: str | Period | list, *, brands: list[str] | None = None
    ) -> pd.DataFrame:
        """Fair benchmark against the competitors: the same public-only formulas for every
        brand (:func:`kpi_notebook_lib.benchmarks.query_benchmarks`) — followers, growth,
        posts, public interactions per post and per 1,000 followers, share of voice with its
        95 % interval.

        Returns
        -------
        pandas.DataFrame
            Long-form ``client, brand, platform, period, metric, value, low, high, n, note``.
        """
        from .benchmarks import query_benchmarks

        periods = period if isinstance(period, list) else self.check_period(period)
        return query_benchmarks(
            self.sources(("benchmarks", "mentions", "posts", "audience")),
            periods=periods,
            client=self.id,
            brands=brands or [self.brand, *(c.id for c in self.settings.competitors)],
            tz=self.settings.timezone,
            own_brand=self.brand,
        )

    def sources(self, tables=None) -> dict[str, list[Path] | None]:
        """Table name → the client's Parquet files in the store (None: no data), ingesting
        new exports first: what the DuckDB queries read."""
        self.workspace.ensure_ingested(self.id)
        store = self.workspace.store
        return {t: store.paths(t, [self.id]) or None for t in (tables or TABLES)}

    def units(self, periods: list[Period]) -> dict[str, pd.DataFrame]:
        """Posts, mentions and days of ``periods``, one row per unit (see
        :func:`kpi_notebook_lib.units.unit_tables`): what the significance tests run on."""
        return unit_tables(
            self.sources(),
            periods,
            client=self.id,
            timezone=self.settings.timezone,
            brand=self.brand,
        )

    def kpi_values(
        self, periods: list[Period], *, kpis: list[str] | None = None, by: str = "platform"
    ) -> pd.DataFrame:
        """Long-form KPI values (``client, platform, period, kpi, value, note``) for
        ``periods`` — e.g. a series for a trend chart. ``by="format"`` breaks posts KPIs down
        by post format instead of platform."""
        sources = self.sources()
        kinds = {p.kind for p in periods}
        groups = [[p for p in periods if p.kind == k] for k in sorted(kinds)]
        frames = [
            compute_kpis(
                sources,
                g,
                clients=[self.id],
                timezones={self.id: self.settings.timezone},
                brands={self.id: self.brand},
                kpis=kpis,
                platforms={self.id: list(self.settings.accounts)},
                by=by,
            )
            for g in groups
        ]
        return pd.concat(frames, ignore_index=True)

    def _coverage_note(self, p: Period, note: pd.Series) -> pd.Series:
        first, last = self.data_range()
        if p.start >= first and p.last_day <= last:
            return note
        caveat = f"partial period: data from {max(first, p.start)} to {min(last, p.last_day)}"
        return note.where(note.isna(), note + "; " + caveat).fillna(caveat)


class Workspace:
    """A workspace folder. See the module docstring for its layout.

    Parameters
    ----------
    root : path
    auto_ingest : bool
        Ingest new or changed exports of a client the first time its data is read.
    """

    def __init__(self, root: str | Path, *, auto_ingest: bool = True) -> None:
        self.root = Path(root).resolve()
        if not (self.root / "clients").is_dir():
            raise ParameterError(
                "workspace", str(root), "a folder holding a clients/ folder (see the README)"
            )
        self.store = Store(self.root / "store")
        self.auto_ingest = auto_ingest
        self._checked: set[str] = set()

    def __repr__(self) -> str:
        return f"Workspace({str(self.root)!r})"

    @property
    def reports_dir(self) -> Path:
        """Where reports are written."""
        return self.root / "reports"

    def clients(self) -> list[str]:
        """Ids of the clients (folders of ``clients/`` holding a ``client.yml``)."""
        return sorted(
            p.name for p in (self.root / "clients").iterdir() if (p / "client.yml").exists()
        )

    def client(self, client_id: str) -> Client:
        """The client ``client_id``."""
        return Client(self, client_id)

    def aliases(self) -> dict[str, dict[str, str]]:
        """Extra header aliases from ``aliases.yml`` (``{platform: {header: canonical}}``)."""
        p = self.root / "aliases.yml"
        if not p.exists():
            return {}
        raw = yaml.safe_load(p.read_text("utf-8")) or {}
        if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
            raise SettingsError(str(p), ["expected {platform: {export header: canonical column}}"])
        return {str(k): {str(h): str(c) for h, c in v.items()} for k, v in raw.items()}

    def ingest(self, client: str | None = None, *, rebuild: bool = False, year: int | None = None):
        """Ingest the exports of one client (or all). Returns an
        :class:`~kpi_notebook_lib.ingest.IngestReport`."""
        from .ingest import IngestReport, ingest_client

        report = IngestReport()
        for cid in [client] if client else self.clients():
            report.extend(ingest_client(self.client(cid), rebuild=rebuild, year=year))
            self._checked.add(cid)
        return report

    def ensure_ingested(self, client_id: str) -> None:
        """Ingest ``client_id``'s new or changed exports once per session (if auto_ingest)."""
        if not self.auto_ingest or client_id in self._checked:
            return
        self.ingest(client_id)


def open_workspace(root: str | Path, *, auto_ingest: bool = True) -> Workspace:
    """Open a workspace folder (see :class:`Workspace`)."""
    return Workspace(root, auto_ingest=auto_ingest)
