"""``newslint kb``: import, search, stats, export, remove, and one-line errors (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.helpers import run_cli

PACK = """\
pack: town
fact_checks:
  - id: fc-bridge
    claim: The new bridge cost ten billion euros to build
    rating: "False"
    reviewer: Example Checkers
    url: https://checker.example/bridge
  - id: fc-water
    claim: Tap water in the town is unsafe to drink
    rating: Misleading
events:
  - id: festival
    name: Town harvest festival
    start: 2021-09-18
  - id: broken
    name: Missing its date
"""


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("NEWSLINT_KB", raising=False)
    return tmp_path / "kb.sqlite"


def test_import_search_stats_export_remove(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "town.yaml"
    pack.write_text(PACK, encoding="utf-8")
    code, out, err = run_cli(["kb", "import", "yaml", str(pack), "--db", str(db)], capsys)
    assert code == 0, err
    assert "3 added" in out and "1 skipped" in out
    assert "events[1]" in err and "line 15" in err  # the bad item is reported with its line

    code, out, _ = run_cli(["kb", "import", "yaml", str(pack), "--db", str(db)], capsys)
    assert "0 added" in out and "3 unchanged" in out

    code, out, _ = run_cli(
        ["kb", "search", "how much did the bridge cost", "--db", str(db), "-k", "1", "--json"],
        capsys,
    )
    assert code == 0
    (hit,) = json.loads(out)
    assert hit["id"] == "fc-bridge" and hit["record"]["rating"] == "False"

    code, out, _ = run_cli(["kb", "stats", "--db", str(db)], capsys)
    stats = json.loads(out)
    assert stats["entries"]["factcheck"] == 2 and stats["entries"]["event"] == 1
    assert stats["sources"][0]["name"] == "town"

    exported = tmp_path / "out.yaml"
    code, _, _ = run_cli(["kb", "export", "--db", str(db), "-o", str(exported)], capsys)
    assert code == 0
    other = tmp_path / "other.sqlite"
    code, out, _ = run_cli(
        ["kb", "import", "yaml", str(exported), "--db", str(other), "--source", "copy"], capsys
    )
    assert "3 added" in out and "0 skipped" in out

    code, out, _ = run_cli(["kb", "remove", "town", "--db", str(db)], capsys)
    assert code == 0 and "3 entries removed" in out
    code, out, _ = run_cli(["kb", "stats", "--db", str(db)], capsys)
    assert json.loads(out)["total"] == 0


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["kb", "import", "nosuchformat", "x.json"], "unknown format"),
        (["kb", "import", "yaml", "missing.yaml"], "not found"),
        (["kb", "stats"], "no knowledge file"),  # an explicit --db that does not exist
        (["kb", "search", "x", "--kind", "planet"], "unknown kind"),
        (["kb", "export", "--format", "xml"], "--format must be"),
    ],
)
def test_errors_are_one_line_exit_2(
    args: list[str], needle: str, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if args[1] not in ("import", "stats"):
        db.write_bytes(b"")
    code, _out, err = run_cli([*args, "--db", str(db)], capsys)
    assert code == 2
    assert needle in err
    assert err.count("\n") == 1


def test_fresh_install_shows_the_knowledge_check_uses(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No user file yet: stats, search and export show the shipped packs, labelled."""
    code, out, err = run_cli(["kb", "stats"], capsys)
    assert code == 0, err
    stats = json.loads(out)
    labels = [b["knowledge"] for b in stats["knowledge"]]
    assert "pack:russia_ukraine" in labels and not any(x.startswith("user:") for x in labels)
    assert stats["total"] > 0 and stats["entries"]["factcheck"] > 0

    code, out, _ = run_cli(["kb", "search", "Donbas region of Ukraine", "--json"], capsys)
    assert code == 0
    hits = json.loads(out)
    assert hits and all(h["knowledge"].startswith("pack:") for h in hits)

    code, out, _ = run_cli(["kb", "export", "--format", "json"], capsys)
    assert code == 0
    exported = json.loads(out)
    assert exported["factcheck"] and all(
        r["knowledge"].startswith("pack:") for r in exported["factcheck"]
    )

    # once the user imports something, it is shown beside the packs
    pack = tmp_path / "town.yaml"
    pack.write_text(PACK, encoding="utf-8")
    code, _, err = run_cli(["kb", "import", "yaml", str(pack)], capsys)
    assert code == 0, err
    code, out, _ = run_cli(["kb", "stats"], capsys)
    labels = [b["knowledge"] for b in json.loads(out)["knowledge"]]
    assert any(x.startswith("user:") for x in labels) and "pack:russia_ukraine" in labels


def test_newslint_kb_names_the_file_that_import_writes_and_check_reads(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from newslint.knowledge.store import default_user_db

    target = tmp_path / "team.sqlite"
    monkeypatch.setenv("NEWSLINT_KB", str(target))
    assert default_user_db() == target  # what check's knowledge loader opens
    pack = tmp_path / "town.yaml"
    pack.write_text(PACK, encoding="utf-8")
    code, _, err = run_cli(["kb", "import", "yaml", str(pack)], capsys)
    assert code == 0, err
    assert target.is_file()
    code, out, _ = run_cli(["kb", "stats"], capsys)
    labels = [b["knowledge"] for b in json.loads(out)["knowledge"]]
    assert f"user:{target}" in labels
