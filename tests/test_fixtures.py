"""The threads `make run` loads: the seed discussion and the welcome thread, each once."""

import re
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from threads import limits
from threads.models import Comment, Thread

ROOT = Path(__file__).resolve().parents[1]
WELCOME = ROOT / "fixtures" / "welcome_thread.json"


def run_recipe() -> list[str]:
    """The commands of the Makefile's ``run`` target, in order."""
    recipe = re.search(r"^run:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M)
    return [line.strip() for line in recipe.group(1).splitlines()]


def test_make_run_imports_the_seed_and_the_welcome_thread_with_the_import_command():
    imports = [line for line in run_recipe() if "import_thread" in line]
    assert imports == [
        "$(MANAGE) import_thread fixtures/seed_thread.txt",
        "$(MANAGE) import_thread fixtures/welcome_thread.json",
    ]


def test_the_welcome_thread_imports_once_however_often_make_run_runs(db):
    for _ in range(2):
        call_command("import_thread", str(WELCOME), stdout=StringIO())

    thread = Thread.objects.get()
    assert thread.title == "Welcome: how this forum works"
    assert Comment.objects.filter(thread=thread).count() == 19


def test_the_welcome_thread_shows_threading_at_once(client, db):
    call_command("import_thread", str(WELCOME), stdout=StringIO())
    thread = Thread.objects.get()
    deepest = max(Comment.objects.filter(thread=thread).values_list("level", flat=True))
    assert deepest >= limits.MAX_DISPLAY_DEPTH  # deep enough to need its own page

    page = client.get(thread.get_absolute_url()).content.decode()
    assert "continue this thread" in page
    assert "<strong>Replies nest.</strong>" in page
    assert "<blockquote>" in page  # the Markdown tour renders
    assert "make import FILE=thread.json" in page
