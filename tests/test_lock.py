"""The lock files pin every dependency pyproject.toml names, within its range, with hashes.

A dependency added to pyproject.toml without ``make lock`` would be missing from every
install (the lock is installed with --require-hashes, the project with --no-deps), so
the suite says so here rather than as an ImportError somewhere else.
"""

import re
import subprocess
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.M)


def pins(lock: str) -> dict[str, set[str]]:
    """Package -> locked versions (a universal lock may hold one per platform or Python)."""
    found: dict[str, set[str]] = {}
    for name, version in PIN.findall(lock):
        found.setdefault(canonicalize_name(name), set()).add(version)
    return found


def requirements(*extras: str) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = list(project["dependencies"])
    for extra in extras:
        names += project["optional-dependencies"][extra]
    return [Requirement(name) for name in names]


def unlocked(wanted: list[Requirement], locked: dict[str, set[str]]) -> list[str]:
    return [
        str(requirement)
        for requirement in wanted
        if not any(
            requirement.specifier.contains(version, prereleases=True)
            for version in locked.get(canonicalize_name(requirement.name), ())
        )
    ]


def read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def test_runtime_lock_pins_every_runtime_dependency_within_its_range():
    assert unlocked(requirements(), pins(read("requirements.lock"))) == [], "run make lock"


def test_development_lock_pins_the_test_and_bench_extras_too():
    wanted = requirements("test", "bench")
    assert unlocked(wanted, pins(read("requirements-dev.lock"))) == [], "run make lock"


def test_runtime_lock_holds_the_versions_the_suite_runs_on():
    development = pins(read("requirements-dev.lock"))
    runtime = pins(read("requirements.lock"))
    differ = {
        name: versions for name, versions in runtime.items() if development.get(name) != versions
    }
    assert differ == {}


def test_every_pin_carries_a_hash():
    for name in ("requirements.lock", "requirements-dev.lock"):
        lock = read(name)
        entries = re.split(r"\n(?=[A-Za-z0-9])", lock.split("\n", 2)[2])
        unhashed = [
            entry.split()[0] for entry in entries if "==" in entry and "--hash=" not in entry
        ]
        assert unhashed == [], name


def test_checks_see_a_missing_or_out_of_range_pin():
    locked = pins("django==5.2.1 \\\n    --hash=sha256:00\nnh3==0.1 ; sys_platform == 'linux'\n")
    assert locked == {"django": {"5.2.1"}, "nh3": {"0.1"}}
    wanted = [Requirement("Django>=5.2,<5.3"), Requirement("nh3>=0.2.17"), Requirement("rich")]
    assert unlocked(wanted, locked) == ["nh3>=0.2.17", "rich"]


def test_a_changed_lock_file_reinstalls_the_virtualenv():
    """make's what-if (-W): with the lock newer than the stamp, the install runs again."""
    for lock, target in (("requirements-dev.lock", "lint"), ("requirements.lock", "install")):
        plan = subprocess.run(
            ["make", "-n", "-W", lock, target], cwd=ROOT, capture_output=True, text=True
        )
        assert plan.returncode == 0, plan.stderr
        assert f"pip install --quiet --require-hashes -r {lock}" in plan.stdout
        assert "pip install --quiet --no-deps -e ." in plan.stdout
