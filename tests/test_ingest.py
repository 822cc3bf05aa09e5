"""Ingest: idempotent, latest export wins, every bad row quarantined and counted."""

import pandas as pd
import pytest

from kpi_notebook_lib import open_workspace


def _posts(ws):
    return ws.store.read("acme", "posts").set_index("post_id")


def test_ingest_then_again_changes_nothing(tiny_workspace):
    ws = open_workspace(tiny_workspace, auto_ingest=False)
    first = ws.ingest()
    assert set(first.summary["status"]) == {"imported"}
    assert first.summary.set_index("file").loc["exports/meta/posts.csv", "imported"] == 7
    before = {t: ws.store.read("acme", t) for t in ("posts", "audience", "conversions")}
    again = ws.ingest()
    assert set(again.summary["status"]) == {"unchanged"}
    for t, df in before.items():
        pd.testing.assert_frame_equal(ws.store.read("acme", t), df)


def test_copy_of_a_file_is_a_counted_duplicate(tiny_workspace):
    exports = tiny_workspace / "clients" / "acme" / "exports"
    (exports / "copy.csv").write_bytes((exports / "meta" / "posts.csv").read_bytes())
    ws = open_workspace(tiny_workspace, auto_ingest=False)
    s = ws.ingest().summary.set_index("file")
    pair = s.loc[["exports/copy.csv", "exports/meta/posts.csv"], "status"]
    assert sorted(pair) == ["duplicate", "imported"]
    assert len(_posts(ws)) == 7


def test_overlapping_exports_latest_wins(tiny_workspace):
    exports = tiny_workspace / "clients" / "acme" / "exports"
    ws = open_workspace(tiny_workspace, auto_ingest=False)
    ws.ingest()
    newer = (
        "platform,account,post_id,published_at,impressions,reach,exported_at\n"
        "facebook,acme,fb1,2026-10-05T08:00:00+00:00,1500,900,2099-01-01T00:00:00+00:00\n"
        "facebook,acme,fb9,2026-10-25T08:00:00+00:00,10,5,2099-01-01T00:00:00+00:00\n"
    )
    older = newer.replace("1500,900", "1,1").replace("2099", "2000").replace("fb9", "fb8")
    (exports / "newer.csv").write_text(newer, "utf-8")
    (exports / "older.csv").write_text(older, "utf-8")
    s = ws.ingest().summary.set_index("file")
    posts = _posts(ws)
    assert posts.loc["fb1", "impressions"] == 1500  # the newest export wins
    assert posts.loc["fb1", "source_file"] == "exports/newer.csv"
    assert s.loc["exports/newer.csv", "replaced"] == 2  # fb1 of posts.csv and of older.csv
    assert s.loc["exports/older.csv", "superseded"] == 1
    assert {"fb8", "fb9"} <= set(posts.index)
    # a later run with the same files changes nothing
    assert set(ws.ingest().summary["status"]) == {"unchanged"}


def test_bad_rows_are_quarantined_with_file_row_column_value(tiny_workspace):
    exports = tiny_workspace / "clients" / "acme" / "exports"
    (exports / "bad.csv").write_text(
        "platform,account,post_id,published_at,impressions,reach\n"
        "facebook,acme,ok1,2026-10-05T08:00:00+00:00,100,50\n"
        "facebook,acme,neg,2026-10-05T08:00:00+00:00,-5,1\n"
        "facebook,acme,big,2026-10-05T08:00:00+00:00,10,50\n"
        "facebook,acme,txt,2026-10-05T08:00:00+00:00,douze,1\n"
        "myspace,acme,plat,2026-10-05T08:00:00+00:00,1,1\n"
        "facebook,acme,when,05/10/2026,1,1\n"
        "facebook,acme,dst,2026-03-29T02:30:00,1,1\n",
        "utf-8",
    )
    ws = open_workspace(tiny_workspace, auto_ingest=False)
    report = ws.ingest()
    s = report.summary.set_index("file").loc["exports/bad.csv"]
    assert (s.rows, s.imported, s.quarantined) == (7, 1, 6)
    q = report.quarantine.set_index(["row", "column"])
    assert q.loc[(3, "impressions"), "value"] == "-5"  # row 3 also breaks reach <= impressions
    assert q.loc[(3, "impressions"), "reason"] == "must be >= 0"
    assert "reach > impressions" in q.loc[(4, "reach"), "reason"]
    assert q.loc[(4, "reach"), "value"] == "reach=50, impressions=10"
    assert q.loc[(5, "impressions"), "value"] == "douze"
    assert q.loc[(5, "impressions"), "reason"] == "not a number"
    assert q.loc[(6, "platform"), "value"] == "myspace"
    assert "ISO 8601" in q.loc[(7, "published_at"), "reason"]
    assert "DST" in q.loc[(8, "published_at"), "reason"]
    assert (report.quarantine["file"] == "exports/bad.csv").all()
    stored = ws.store.quarantine("acme")
    assert len(stored[stored.file == "exports/bad.csv"]) == 7
    assert "ok1" in _posts(ws).index


def test_unknown_file_fails_loudly_and_the_rest_lands(tiny_workspace):
    exports = tiny_workspace / "clients" / "acme" / "exports"
    (exports / "notes.csv").write_text("foo,bar\n1,2\n", "utf-8")
    ws = open_workspace(tiny_workspace, auto_ingest=False)
    report = ws.ingest()
    assert not report.ok
    failed = report.failed.set_index("file").loc["exports/notes.csv"]
    assert "not a known export format" in failed.message and "'foo,bar'" in failed.message
    assert len(_posts(ws)) == 7


def test_changed_file_replaces_its_rows(tiny_workspace):
    posts_csv = tiny_workspace / "clients" / "acme" / "exports" / "meta" / "posts.csv"
    ws = open_workspace(tiny_workspace, auto_ingest=False)
    ws.ingest()
    lines = posts_csv.read_text("utf-8").splitlines()
    posts_csv.write_text("\n".join(lines[:-1]) + "\n", "utf-8")  # x1 removed from the file
    ws.ingest()
    assert "x1" not in _posts(ws).index


def test_rebuild(tiny_workspace):
    ws = open_workspace(tiny_workspace, auto_ingest=False)
    ws.ingest()
    s = ws.ingest(rebuild=True).summary
    assert set(s["status"]) == {"imported"}


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "-x", "@cmd"])
def test_quarantine_file_neutralises_formulas(tiny_workspace, text):
    exports = tiny_workspace / "clients" / "acme" / "exports"
    (exports / "bad.csv").write_text(
        f'platform,account,post_id,published_at,impressions\nfacebook,acme,a,2026-10-01,"{text}"\n'.replace(
            '""', '"'
        ),
        "utf-8",
    )
    ws = open_workspace(tiny_workspace, auto_ingest=False)
    ws.ingest()
    raw = (ws.store.root / "acme" / "quarantine.csv").read_text("utf-8")
    assert "'" + text.split('"')[0] in raw


def test_audience_metrics_from_several_files_complete_each_other(tiny_workspace):
    """Meta exports one file per metric: a day's row gets every metric, none erases another."""
    exports = tiny_workspace / "clients" / "acme" / "exports"
    (exports / "reach.csv").write_text(
        "platform,account,date,followers,reach,exported_at\n"
        "facebook,acme,2026-10-03,,77,2099-01-01T00:00:00+00:00\n", "utf-8")
    ws = open_workspace(tiny_workspace, auto_ingest=False)
    ws.ingest()
    aud = ws.store.read("acme", "audience").set_index(["platform", "date"])
    row = aud.loc[("facebook", pd.Timestamp("2026-10-03"))]
    assert row["reach"] == 77  # from reach.csv
    assert row["followers"] == 1003 and row["new_followers"] == 2  # kept from audience.csv


_MENTIONS_CSV = (
    "platform,mention_id,published_at,author,author_followers,text,lang,brand,kind,"
    "in_reply_to,addresses_brand,replied_at,exported_at\n"
    "x,m1,2026-10-02T10:00:00+00:00,ann,10,J'adore le nouveau Killer de Acme,fr,acme,"
    "mention,,false,,2026-11-01T08:00:00+00:00\n"
    "x,m2,2026-10-03T10:00:00+00:00,bob,10,Livraison reçue hier,fr,acme,"
    "mention,,false,,2026-11-01T08:00:00+00:00\n"
)


def test_stored_mentions_are_scored_again_when_the_scoring_changes(tiny_workspace):
    client_dir = tiny_workspace / "clients" / "acme"
    (client_dir / "exports" / "listening").mkdir()
    (client_dir / "exports" / "listening" / "mentions.csv").write_text(_MENTIONS_CSV, "utf-8")
    ws = open_workspace(tiny_workspace, auto_ingest=False)
    first = ws.ingest()
    assert "rescored" not in set(first.summary["status"])  # scored once, as they landed
    before = ws.store.read("acme", "mentions").set_index("mention_id")
    assert before.loc["m1", "sentiment"] == "positive"
    # the client adds a lexicon override: "adore" no longer counts, the export is unchanged
    (client_dir / "lexicon.csv").write_text("term,valence\nadore,0\n", "utf-8")
    again = open_workspace(tiny_workspace, auto_ingest=False).ingest()
    row = again.summary.set_index("file").loc["(stored mentions)"]
    assert row["status"] == "rescored" and row["rows"] == 2
    after = ws.store.read("acme", "mentions").set_index("mention_id")
    assert after.loc["m1", "compound"] != before.loc["m1", "compound"]
    # nothing changed since: nothing scored again
    third = open_workspace(tiny_workspace, auto_ingest=False).ingest()
    assert set(third.summary["status"]) == {"unchanged"}


def test_a_store_scored_by_an_older_version_is_scored_again(tiny_workspace):
    client_dir = tiny_workspace / "clients" / "acme"
    (client_dir / "exports" / "listening").mkdir()
    (client_dir / "exports" / "listening" / "mentions.csv").write_text(_MENTIONS_CSV, "utf-8")
    ws = open_workspace(tiny_workspace, auto_ingest=False)
    ws.ingest()
    # what a store written before the key was recorded (or under another version) looks like
    stale = ws.store.read("acme", "mentions").assign(sentiment="negative", compound=-0.9)
    ws.store.write("acme", "mentions", stale)
    (ws.store.root / "acme" / "tone_key.txt").unlink()
    report = open_workspace(tiny_workspace, auto_ingest=False).ingest()
    assert "rescored" in set(report.summary["status"])
    fresh = ws.store.read("acme", "mentions").set_index("mention_id")
    assert fresh.loc["m1", "sentiment"] == "positive" and fresh.loc["m1", "compound"] > 0
