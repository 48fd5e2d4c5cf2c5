"""The benchmark's quick mode runs in the suite, so the command cannot rot."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from threads.models import Comment, Thread

pytestmark = pytest.mark.django_db


def test_quick_benchmark_prints_one_row_per_size_and_cleans_up(a_thread, a_comment):
    out = StringIO()
    call_command("benchmark", "--quick", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split()[:2] == ["comments", "import"]
    for column in ("peak MB", "page/floor", "reply ms", "vote ms"):
        assert column in lines[0]
    rows = [line.split() for line in lines[2:4]]
    assert [row[0] for row in rows] == ["20", "300"]
    assert lines[4].startswith("Benchmarked 2 thread sizes in ")
    queries = 4  # comments, import s, peak MB, page ms, queries
    assert rows[0][queries] == rows[1][queries]  # constant per page
    assert list(Thread.objects.all()) == [a_thread]  # the synthetic threads are gone
    assert list(Comment.objects.all()) == [a_comment]


def test_sizes_and_repeats_are_checked():
    with pytest.raises(CommandError, match="--repeat must be at least 5"):
        call_command("benchmark", "--repeat", "3", stdout=StringIO())
    with pytest.raises(CommandError, match="at least 2 comments"):
        call_command("benchmark", "--sizes", "1", stdout=StringIO())
