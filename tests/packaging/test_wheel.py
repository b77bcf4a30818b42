"""The sdist and wheel, installed as a user would: a fresh venv, no checkout beside it.

``python -m build`` builds the sdist from a copy of the checkout and the wheel from that sdist;
a fresh venv gets the pinned locks (``requirements/*.lock``) and then the wheel with
``--no-deps``, exactly as the README tells a user. Every command then runs from a temporary
folder, so ``import newslint`` can only find the installed wheel: ``newslint check`` must give
the same report as the checkout, ``newslint serve`` must answer ``/healthz``, the page and the
API, and ``newslint corpus run`` must analyse ten articles into Parquet that DuckDB reads.

These tests need the package registry (the locks are installed from it) and take one to two
minutes; ``pytest -m 'not packaging'`` skips them. They skip, saying why, when the registry
cannot be reached.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import EXAMPLE, SEED, SHARED, needs_shared

pytestmark = pytest.mark.packaging

REPO = Path(__file__).resolve().parents[2]
LOCKS = ("runtime.lock", "server.lock", "corpus.lock")
PTC_ARTICLES = SHARED / "data" / "ptc" / "train-articles"
# What the sdist is built from: the packaging inputs and the package, never the venv or caches.
TREE = ("pyproject.toml", "README.md", "src")
SKIP_NAMES = ("__pycache__", "*.pyc", "*.egg-info")


@dataclass(frozen=True)
class Installed:
    wheel: Path
    sdist: Path
    venv: Path
    home: Path  # an empty folder to run every command from (HOME and XDG folders inside)

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def newslint(self) -> Path:
        return self.venv / "bin" / "newslint"

    def env(self) -> dict[str, str]:
        """The user's environment, less anything that could point back at the checkout."""
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")
            and not k.startswith("NEWSLINT_")
        }
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["XDG_CACHE_HOME"] = str(self.home / "cache")  # the packs' index is built anew
        env["XDG_DATA_HOME"] = str(self.home / "data")  # no user knowledge file
        env["PYTHONNOUSERSITE"] = "1"
        return env

    def run(self, *args: str | Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(a) for a in args],
            cwd=self.home,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def _run(cmd: list[str | Path], cwd: Path, timeout: float = 900) -> str:
    proc = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{_tail(proc)}"
    return proc.stdout


def _tail(proc: subprocess.CompletedProcess[str], n: int = 4000) -> str:
    # pip repeats a warning per package for the machine's extra local indexes: leave them out
    text = proc.stdout + proc.stderr
    lines = [ln for ln in text.splitlines() if "is ignored: it is neither" not in ln]
    return "\n".join(lines)[-n:]


def _registry_reachable(work: Path) -> str | None:
    """None when pip can download from the package registry, else pip's last line."""
    pip = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-cache-dir"]
    probe = subprocess.run(
        [*pip, "--retries", "1", "--timeout", "30", "-d", str(work / "probe"), "pyproject_hooks"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if probe.returncode == 0:
        return None
    lines = [ln for ln in _tail(probe).splitlines() if ln.strip()]
    return lines[-1] if lines else f"pip exited {probe.returncode}"


def _source_files(root: Path) -> set[str]:
    """Package files under ``root/newslint`` that belong in the wheel, as wheel paths."""
    out: set[str] = set()
    for path in (root / "newslint").rglob("*"):
        if path.is_dir() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        out.add(path.relative_to(root).as_posix())
    return out


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    work = tmp_path_factory.mktemp("packaging")
    pytest.importorskip("build", reason="python -m build is in requirements/dev-extra.lock")
    why = _registry_reachable(work)
    if why is not None:
        pytest.skip(f"the package registry cannot be reached, so nothing can be installed: {why}")

    # the sdist from a copy of the checkout (nothing is written into the checkout itself)
    src = work / "checkout"
    src.mkdir()
    for name in TREE:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, src / name, ignore=shutil.ignore_patterns(*SKIP_NAMES))
        else:
            shutil.copy2(REPO / name, src / name)
    dist = work / "dist"
    _run([sys.executable, "-m", "build", "--outdir", dist, src], cwd=work)
    (wheel,) = dist.glob("newslint-*.whl")
    (sdist,) = dist.glob("newslint-*.tar.gz")

    venv = work / "venv"
    _run([sys.executable, "-m", "venv", venv], cwd=work)
    pip = [venv / "bin" / "python", "-m", "pip", "--disable-pip-version-check", "install", "-q"]
    locks: list[str | Path] = []
    for lock in LOCKS:
        locks += ["-r", REPO / "requirements" / lock]
    _run([*pip, *locks], cwd=work)
    _run([*pip, "--no-deps", wheel], cwd=work)
    _run([venv / "bin" / "python", "-m", "pip", "check"], cwd=work)

    home = work / "home"
    home.mkdir()
    yield Installed(wheel=wheel, sdist=sdist, venv=venv, home=home)


def test_the_wheel_and_sdist_carry_every_package_file(installed: Installed) -> None:
    expected = _source_files(REPO / "src")
    with zipfile.ZipFile(installed.wheel) as whl:
        in_wheel = {n for n in whl.namelist() if n.startswith("newslint/")}
    missing = sorted(expected - in_wheel)
    assert not missing, f"files under src/newslint that the wheel lacks: {missing}"
    # the models, packs, schema and assets the code reads at run time, named once more
    for needed in (
        "newslint/py.typed",
        "newslint/nlp/models/encoder/model.onnx",
        "newslint/nlp/models/encoder/tokenizer.json",
        "newslint/detectors/models/techniques/heads.npz",
        "newslint/detectors/models/claims/checkworthy.npz",
        "newslint/knowledge/models/factcheck_ranker.json",
        "newslint/knowledge/packs/russia_ukraine/facts.yaml",
        "newslint/schema/report.schema.json",
        "newslint/server/static/app.js",
        "newslint/report/assets/report.css",
    ):
        assert needed in in_wheel, needed
    with tarfile.open(installed.sdist) as sdist:
        top = sdist.getnames()[0].split("/")[0]
        in_sdist = {
            n.removeprefix(f"{top}/src/") for n in sdist.getnames() if n.startswith(f"{top}/src/")
        }
    assert not sorted(expected - in_sdist), sorted(expected - in_sdist)


def test_newslint_is_imported_from_the_fresh_venv(installed: Installed) -> None:
    proc = installed.run(installed.python, "-c", "import newslint; print(newslint.__file__)")
    assert proc.returncode == 0, _tail(proc)
    where = Path(proc.stdout.strip()).resolve()
    assert where.is_relative_to(installed.venv.resolve()), where
    assert not where.is_relative_to(REPO), where


def _same_report_as_the_checkout(installed: Installed, article: Path) -> dict[str, Any]:
    """The installed ``newslint check`` gives the report that the checkout's own gives (both in
    fresh processes with the same empty cache and data folders, timings left out)."""
    args = ["check", "--preview", "--format", "json", str(article)]
    reports = []
    for exe in (installed.newslint, Path(sys.executable).with_name("newslint")):
        proc = installed.run(exe, *args)
        assert proc.returncode == 0, f"{exe}: {_tail(proc)}"
        report = json.loads(proc.stdout)
        report.pop("timings_ms", None)
        reports.append(report)
    from_wheel, from_checkout = reports
    assert from_wheel["schema"] == "newslint.report/1"
    for key in sorted(set(from_wheel) | set(from_checkout)):
        if key == "findings":
            continue
        assert from_wheel.get(key) == from_checkout.get(key), key
    pairs = zip(from_wheel["findings"], from_checkout["findings"], strict=False)
    for i, (a, b) in enumerate(pairs):
        assert a == b, f"finding {i} differs:\n wheel:    {a}\n checkout: {b}"
    assert len(from_wheel["findings"]) == len(from_checkout["findings"])
    return dict(from_wheel)


def test_check_gives_the_checkouts_report_on_the_example(installed: Installed) -> None:
    report = _same_report_as_the_checkout(installed, EXAMPLE)
    assert report["findings"], "the example article has findings with --preview"


@needs_shared
def test_check_gives_the_checkouts_report_on_the_seed(installed: Installed) -> None:
    report = _same_report_as_the_checkout(installed, SEED)
    assert report["findings"], "the seed article has findings with --preview"
    # the default (stable rules) text output, as a user first sees it
    proc = installed.run(installed.newslint, "check", SEED)
    assert proc.returncode == 0, _tail(proc)
    assert proc.stdout.strip().splitlines()[-1].startswith(f"{SEED}:"), proc.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, data: bytes | None = None) -> tuple[int, str, str]:
    headers = {"Content-Type": "application/json"} if data is not None else {}
    req = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.headers.get("content-type", ""), resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("content-type", ""), exc.read().decode()


def test_serve_answers_health_the_page_and_the_api(installed: Installed) -> None:
    port = _free_port()
    log = installed.home / "serve.log"
    base = f"http://127.0.0.1:{port}"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [installed.newslint, "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=installed.home,
            env=installed.env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 300
        status = 0
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                status, _, _ = _get(base + "/healthz")
            except OSError:
                status = 0
            if status == 200:
                break
            time.sleep(0.5)
        assert status == 200, f"/healthz never answered 200:\n{log.read_text()[-3000:]}"

        status, ctype, page = _get(base + "/")
        assert status == 200 and ctype.startswith("text/html") and "/static/" in page
        status, _, script = _get(base + "/static/app.js")  # an asset shipped in the wheel
        assert status == 200 and script.strip()
        body = {"text": "Experts argue that the bridge will cost 3 billion euros.", "preview": True}
        status, _, text = _get(base + "/v1/analyze", json.dumps(body).encode())
        assert status == 200, text
        assert json.loads(text)["schema"] == "newslint.report/1"
    finally:
        proc.send_signal(signal.SIGINT)  # uvicorn shuts down cleanly on Ctrl+C
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
    assert proc.returncode == 0, log.read_text()[-3000:]


def _ten_articles(folder: Path) -> None:
    """Ten articles: the first ten PTC training articles when ../shared is there (copied into the
    temporary folder, never into the repository), else ten short texts written here."""
    folder.mkdir()
    if PTC_ARTICLES.is_dir():
        for path in sorted(PTC_ARTICLES.glob("*.txt"))[:10]:
            shutil.copy2(path, folder / path.name)
        return
    for i in range(10):
        (folder / f"article-{i:02d}.txt").write_text(
            f"Council meeting number {i + 1}\n\n"
            f"The town council met on Tuesday to discuss plan {i + 1} for the river bridge. "
            "According to sources, the cost could rise to 3 billion euros by 2030. "
            "Experts argue that the repairs were delayed for years. The mayor, Anna Weber, "
            "said the council would publish the engineers' report next month.\n",
            encoding="utf-8",
        )


def test_corpus_run_analyses_ten_articles(installed: Installed) -> None:
    articles = installed.home / "articles"
    _ten_articles(articles)
    assert len(list(articles.iterdir())) == 10
    out = installed.home / "run"
    proc = installed.run(
        installed.newslint,
        "corpus",
        "run",
        articles,
        "--out",
        out,
        "--workers",
        "2",
        "--partition-size",
        "5",
    )
    assert proc.returncode == 0, _tail(proc)
    assert "0 error(s) in 10 records" in proc.stderr + proc.stdout, _tail(proc)
    # the tables, read back with the duckdb package of the corpus lock, as the README shows
    query = (
        "import duckdb, json; print(json.dumps(["
        f"duckdb.sql(\"SELECT count(*) FROM '{out}/documents/*.parquet'\").fetchall()[0][0], "
        f"duckdb.sql(\"SELECT count(*) FROM '{out}/errors/*.parquet'\").fetchall()[0][0]]))"
    )
    proc = installed.run(installed.python, "-c", query)
    assert proc.returncode == 0, _tail(proc)
    assert json.loads(proc.stdout) == [10, 0]
    proc = installed.run(installed.newslint, "corpus", "stats", out, "--by", "source")
    assert proc.returncode == 0, _tail(proc)
    assert proc.stdout.strip()
