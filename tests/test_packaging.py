"""Honest packaging: pyproject.toml declares what the code needs, the lock files pin every package
with its hashes, and the test tools are apart from what the assistant needs to run."""
import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
REQ = ROOT / "requirements"


def pins(path):
    """{name: (version, number of hashes)} of a pip-compile file with hashes."""
    found, current = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9._-]+)==([^ ;\\]+)", line)
        if match:
            current = canonicalize_name(match.group(1))
            found[current] = [match.group(2), 0]
        elif current and line.strip().startswith("--hash=sha256:"):
            found[current][1] += 1
    return {name: tuple(v) for name, v in found.items()}


def declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(r) for r in project["dependencies"]]


def direct(path):
    lines = [l.split("#", 1)[0].strip() for l in path.read_text(encoding="utf-8").splitlines()]
    return [Requirement(l) for l in lines if l and not l.startswith("-")]


@pytest.mark.parametrize("name", ["lock.txt", "test.txt"])
def test_hver_laast_pakke_har_en_fast_version_og_hashes(name):
    locked = pins(REQ / name)
    assert locked and all(count >= 1 for _, count in locked.values()), \
        [n for n, (_, c) in locked.items() if c == 0]
    body = (REQ / name).read_text(encoding="utf-8")
    assert not re.search(r"^[A-Za-z0-9._-]+\s*(>=|<=|~=|>|<)", body, re.M)  # nothing unpinned


def test_pyproject_erklaerer_de_pakker_koden_bruger_og_laasen_opfylder_dem():
    locked = pins(REQ / "lock.txt")
    requirements = declared()
    names = {canonicalize_name(r.name) for r in requirements}
    for needed in ("rasa", "rasa-sdk", "sanic", "sqlalchemy", "alembic", "psycopg2-binary", "pydantic",
                   "pyyaml", "babel", "holidays", "prometheus-client", "redis", "aiohttp"):
        assert needed in names, needed
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is declared but not locked"
        assert requirement.specifier.contains(locked[name][0], prereleases=True), (name, locked[name][0])
    for requirement in direct(REQ / "base.in"):  # every direct runtime dependency is declared
        assert canonicalize_name(requirement.name) in names, requirement.name


def test_testvaerktoejer_er_adskilt_fra_det_der_skal_til_for_at_koere():
    runtime, tests = pins(REQ / "lock.txt"), pins(REQ / "test.txt")
    for tool in ("pytest", "pytest-timeout", "iniconfig"):
        assert tool not in runtime and tool in tests
    assert not any(canonicalize_name(r.name).startswith("pytest") for r in declared())
    for name in set(runtime) & set(tests):  # shared packages: the same pin in both files
        assert runtime[name][0] == tests[name][0], name
    assert "-c lock.txt" in (REQ / "test.in").read_text(encoding="utf-8")
