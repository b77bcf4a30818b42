from __future__ import annotations

from pathlib import Path

import pytest

from newslint.config import Settings, code_selected, load_settings, parse_codes, parse_date
from newslint.errors import UsageError


@pytest.mark.parametrize(
    ("code", "select", "ignore", "expected"),
    [
        ("P101", (), (), True),
        ("P101", ("P",), (), True),
        ("A101", ("P",), (), False),
        ("P101", ("P",), ("P1",), False),
        ("P101", ("P10",), ("P",), True),  # longer select prefix wins
        ("P101", ("P101",), ("P101",), False),  # tie: ignore wins
        ("X101", (), ("X",), False),
        ("X101", ("ALL",), ("X",), False),
        ("A105", ("ALL",), ("X",), True),
    ],
)
def test_longest_prefix_wins(
    code: str, select: tuple[str, ...], ignore: tuple[str, ...], expected: bool
) -> None:
    assert code_selected(code, select, ignore) is expected


def test_parse_codes_normalises_and_rejects_garbage() -> None:
    assert parse_codes("p1, a101,,") == ("P1", "A101")
    with pytest.raises(UsageError):
        parse_codes("P1;drop")


def test_parse_date() -> None:
    assert parse_date("2024-10-26").isoformat() == "2024-10-26"
    with pytest.raises(UsageError):
        parse_date("26/10/2024")


def test_threshold_for_uses_longest_prefix() -> None:
    s = Settings(threshold=0.5, thresholds={"P": 0.6, "P10": 0.7})
    assert s.threshold_for("P101") == 0.7
    assert s.threshold_for("P111") == 0.6
    assert s.threshold_for("A101") == 0.5


def test_pyproject_table_is_found_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.newslint]\nselect = ["A", "P1"]\nignore = ["A104"]\nthreshold = 0.3\n'
        "[tool.newslint.thresholds]\nP = 0.8\n"
    )
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    s = load_settings(start=sub)
    assert s.select == ("A", "P1")
    assert s.ignore == ("A104",)
    assert s.threshold == 0.3
    assert s.threshold_for("P101") == 0.8
    assert not s.is_enabled("A104") and s.is_enabled("A101") and not s.is_enabled("C101")


def test_newslint_toml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.newslint]\nselect = ["A"]\n')
    (tmp_path / "newslint.toml").write_text('select = ["C"]\nmax-bytes = 1000\n')
    s = load_settings(start=tmp_path)
    assert s.select == ("C",) and s.max_bytes == 1000


@pytest.mark.parametrize(
    "content",
    [
        'select = ["A"\n',
        'colour = "red"\n',
        "threshold = 2\n",
        "max-bytes = -1\n",
        'thresholds = "x"\n',
    ],
)
def test_bad_config_is_a_usage_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "newslint.toml"
    path.write_text(content)
    with pytest.raises(UsageError):
        load_settings(path)


def test_no_config_gives_defaults(tmp_path: Path) -> None:
    assert load_settings(start=tmp_path) == Settings()
