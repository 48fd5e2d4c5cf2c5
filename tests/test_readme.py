"""README.md's commands work as written on a fresh clone, where no virtualenv is active.

A bare ``python manage.py …`` fails there with "No module named django"; every command
goes through a make target, which creates .venv first, and every target it names exists.
"""

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Programs that exist only inside .venv (or, for python, without the project's packages).
NEEDS_VENV = {"python", "python3", "pytest", "ruff", "gunicorn", "locust", "pip", "django-admin"}
ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


def shell_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```(?:sh|bash|shell)\n(.*?)^```", markdown, flags=re.M | re.S)


def commands(markdown: str) -> list[list[str]]:
    """Each command of the fenced shell blocks as words, comments and assignments dropped."""
    found = []
    for block in shell_blocks(markdown):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            while words and ASSIGNMENT.match(words[0]):
                words.pop(0)
            if words and words[0] != "export":
                found.append(words)
    return found


def make_targets(makefile: str) -> set[str]:
    """Targets that have a rule (``.PHONY`` and other special targets do not count)."""
    targets = set()
    for match in re.finditer(r"^([A-Za-z0-9_%/$() -][A-Za-z0-9_.%/$() -]*?):(?!=)", makefile, re.M):
        targets.update(match.group(1).split())
    return targets


def test_commands_are_found_in_the_readme():
    """The parser sees the commands it must check (else the tests below pass on nothing)."""
    found = commands((ROOT / "README.md").read_text(encoding="utf-8"))
    assert ["make", "run"] in found
    assert ["make", "moderator", "NAME=alice"] in found


def test_no_readme_command_needs_an_activated_virtualenv():
    bare = [
        " ".join(words)
        for words in commands((ROOT / "README.md").read_text(encoding="utf-8"))
        if words[0] in NEEDS_VENV or words[0].endswith("manage.py")
    ]
    assert bare == [], "use a make target (it creates .venv first)"


def test_every_make_target_the_readme_names_exists():
    targets = make_targets((ROOT / "Makefile").read_text(encoding="utf-8"))
    named = {
        word
        for words in commands((ROOT / "README.md").read_text(encoding="utf-8"))
        if words[0] == "make"
        for word in words[1:]
        if "=" not in word and not word.startswith("-")
    }
    assert named, "the README names no make target"
    assert named - targets == set()


def test_the_checks_catch_a_bare_command_and_an_unknown_target():
    """The helpers above would see what a careless README edit brings in."""
    readme = "```sh\npython manage.py createsuperuser\nFOO=1 make frobnicate  # no\n```\n"
    assert commands(readme) == [["python", "manage.py", "createsuperuser"], ["make", "frobnicate"]]
    assert "frobnicate" not in make_targets((ROOT / "Makefile").read_text(encoding="utf-8"))
    assert make_targets(".PHONY: run gone\nrun test: x\nbench:\nVAR := 1\n") == {
        "run",
        "test",
        "bench",
    }
