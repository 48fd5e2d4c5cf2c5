"""The benchmark's search section, at tiny sizes: it measures what it says and leaves
nothing behind."""

from io import StringIO

import pytest
from django.core.management import call_command

from threads import benchmark_search
from threads.models import Comment, Thread

pytestmark = pytest.mark.django_db


def test_the_search_section_reports_searches_sizes_and_imports():
    figures = benchmark_search.run(**benchmark_search.QUICK, repeat=5)
    assert [name for name, *_ in figures.searches] == ["one word", "two words", "phrase"]
    for name, text, ms, queries, shown in figures.searches:
        assert ms > 0 and 1 <= queries <= 3, name  # keys, threads, comments: never more
        assert shown >= 1, (name, text)  # every search finds something
    assert figures.searches[2][1].startswith('"') and figures.searches[2][1].endswith('"')
    assert figures.index_bytes is None or figures.index_bytes > 0
    assert figures.import_indexed_s > 0 and figures.import_unindexed_s > 0
    report = benchmark_search.report(figures).splitlines()
    assert report[0].startswith("Search: 90 comments in 6 threads; index ")
    assert report[1].startswith("import of 200 comments (read, parse, write): ")
    assert report[2].split() == ["search", "ms", "queries", "results", "query"]
    assert not Thread.objects.exists() and not Comment.objects.exists()


def test_the_vocabulary_follows_zipf():
    writer = benchmark_search.Writer(seed=1)
    words = " ".join(writer.text() for _ in range(2_000)).lower().split()
    counts = sorted((words.count(w) for w in set(words)), reverse=True)
    assert len(set(words)) > 1_000  # many words, most of them rare
    assert counts[0] > 10 * counts[50] > 0


def test_benchmark_command_prints_the_search_section():
    out = StringIO()
    call_command("benchmark", "--quick", "--repeat", "5", stdout=out)
    assert "Search: 90 comments in 6 threads" in out.getvalue()
    out = StringIO()
    call_command("benchmark", "--quick", "--repeat", "5", "--no-search", stdout=out)
    assert "Search:" not in out.getvalue()
