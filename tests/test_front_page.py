"""The front page without JavaScript: each row (rank, arrows, score, title and where it
links, domain, author, age, comments, marks), pins first, pages, and voting from a row."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_comment, make_thread, make_user
from threads import limits, presentation, selectors, services
from threads.models import Thread, Vote

pytestmark = pytest.mark.django_db


def front(client, query="") -> str:
    response = client.get(f"/{query}")
    assert response.status_code == 200
    return response.content.decode()


def row_of(page: str, thread) -> str:
    match = re.search(rf'<article class="thread-row[^"]*" id="t{thread.pk}">.*?</article>', page,
                      re.S)  # fmt: skip
    assert match, f"no row for thread {thread.pk}"
    return match.group(0)


def test_a_link_post_row_links_out_with_its_domain(client, a_user):
    thread = make_thread(author=a_user, title="A link", url="https://www.example.com/a?b=1")
    make_comment(thread)
    make_comment(thread)
    row = row_of(front(client), thread)
    assert '<span class="rank">1.</span>' in row
    assert 'href="https://www.example.com/a?b=1" rel="nofollow ugc noopener">A link</a>' in row
    assert '<span class="domain">(example.com)</span>' in row
    assert f'href="{thread.get_absolute_url()}">2 comments</a>' in row
    assert 'href="/u/alice/"' in row and "<time datetime=" in row
    assert 'aria-label="Upvote thread"' in row and 'aria-label="Downvote thread"' in row
    assert f'action="{reverse("threads:thread-vote", args=[thread.pk])}"' in row


def test_a_text_post_row_links_to_the_discussion(client, a_thread):
    row = row_of(front(client), a_thread)
    assert f'<a href="{a_thread.get_absolute_url()}">Hello forum</a>' in row
    assert 'class="domain"' not in row


def test_marks_for_locked_and_pinned_and_removed_for_moderators_only(
    client, a_moderator, another_user
):
    locked, pinned, removed = (make_thread(title=t) for t in ("Locked", "Pinned", "Removed"))
    services.thread_lock(moderator=a_moderator, thread=locked)
    services.thread_pin(moderator=a_moderator, thread=pinned)
    services.thread_remove(moderator=a_moderator, thread=removed, reason="spam")
    page = front(client)
    assert '<span class="badge locked">locked</span>' in row_of(page, locked)
    assert 'aria-label="Upvote thread"' not in row_of(page, locked)  # a locked thread takes none
    assert '<span class="badge pinned">pinned</span>' in row_of(page, pinned)
    assert f'id="t{removed.pk}"' not in page and "Removed" not in page
    client.force_login(another_user)
    assert f'id="t{removed.pk}"' not in front(client)
    client.force_login(a_moderator)
    row = row_of(front(client), removed)
    assert '<span class="badge removed">removed</span>' in row and "Removed" in row


def test_deleted_threads_leave_the_front_page(client, a_thread, a_user):
    services.thread_delete(user=a_user, thread=a_thread)
    assert f'id="t{a_thread.pk}"' not in front(client)


def test_pinned_threads_come_first_in_their_places_on_the_first_page_only(
    client, a_moderator, monkeypatch
):
    monkeypatch.setattr(limits, "THREADS_PER_PAGE", 3)
    threads = [make_thread(title=f"T{n}") for n in range(5)]  # T4 is the newest
    services.thread_pin(moderator=a_moderator, thread=threads[0])
    services.thread_pin(moderator=a_moderator, thread=threads[2], position=1)
    first = front(client, "?sort=new")
    ranks = re.findall(r'id="t(\d+)"', first)
    assert ranks == [str(threads[2].pk), str(threads[0].pk), str(threads[4].pk)]
    second = front(client, "?sort=new&page=2")
    assert re.findall(r'id="t(\d+)"', second) == [str(threads[3].pk), str(threads[1].pk)]
    assert '<span class="rank">4.</span>' in second


def test_pages_have_more_at_the_bottom_and_numbers_in_the_url(client, monkeypatch):
    monkeypatch.setattr(limits, "THREADS_PER_PAGE", 2)
    for n in range(5):
        make_thread(title=f"T{n}")
    page = front(client, "?sort=top")
    assert 'rel="next" class="more" href="?sort=top&amp;page=2">more</a>' in page
    last = front(client, "?sort=top&page=3")
    assert "more</a>" not in last and "page 3<" in last
    assert 'rel="prev" href="?sort=top&amp;page=2"' in last


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "\u0663", ""])
def test_bad_page_numbers_never_fail(client, page):
    for n in range(3):
        make_thread(title=f"T{n}")
    assert "T0" in front(client, f"?page={page}")


@pytest.mark.parametrize("page", ["999", "9" * 30])
def test_a_page_past_the_end_is_empty_and_leads_back(client, page):
    """Pages are not counted (page 50 costs what page 1 does), so a page past the end
    says so instead of jumping to the last one."""
    for n in range(3):
        make_thread(title=f"T{n}")
    html = front(client, f"?page={page}")
    assert "T0" not in html and "No threads this far back." in html
    assert '<a href="?sort=hot">Back to the first page</a>' in html


def test_a_control_character_in_the_page_number_is_a_bad_request(client, a_thread):
    response = client.get("/?page=%00")
    assert response.status_code == 400  # threads.input_guard, before any view


@pytest.mark.parametrize("sort", ["nonsense", "", "HOT"])
def test_an_unknown_sort_is_hot(client, a_thread, sort):
    assert 'aria-current="page">hot</a>' in front(client, f"?sort={sort}")


def test_an_empty_front_page_says_how_to_start(client, a_user, a_superuser):
    page = front(client)
    assert "No threads yet." in page and 'href="/submit/"' in page
    assert "make import" not in page
    client.force_login(a_user)
    assert "make import" not in front(client)
    client.force_login(a_superuser)
    assert "make import FILE=" in front(client)


def test_the_viewers_votes_show_pressed(client, a_thread, another_user):
    other = make_thread(title="Other")
    services.vote_cast(user=another_user, item=a_thread, value=-1)
    client.force_login(another_user)
    page = front(client)
    assert 'class="down on" aria-pressed="true"' in row_of(page, a_thread)
    assert 'aria-pressed="true"' not in row_of(page, other)


# Voting from a row, without the script


def vote(client, thread, value, next_url=None):
    data = {"value": value} if next_url is None else {"value": value, "next": next_url}
    return client.post(reverse("threads:thread-vote", args=[thread.pk]), data)


def test_a_vote_from_the_front_page_comes_back_to_its_row(client, a_thread, another_user):
    client.force_login(another_user)
    response = vote(client, a_thread, 1, f"/?sort=new&page=1#t{a_thread.pk}")
    assert response.status_code == 302
    assert response["Location"] == f"/?sort=new&page=1#t{a_thread.pk}"
    assert Thread.objects.get(pk=a_thread.pk).score == 1
    row = row_of(front(client, "?sort=new"), a_thread)
    assert 'class="up on" aria-pressed="true"' in row and ">1</span>" in row


def test_a_vote_never_goes_back_to_another_site(client, a_thread, another_user):
    client.force_login(another_user)
    response = vote(client, a_thread, 1, "https://evil.example/")
    assert response["Location"] == a_thread.get_absolute_url()


def test_a_visitor_voting_logs_in_and_comes_back(client, a_thread):
    response = vote(client, a_thread, 1, "/?page=1")
    assert (
        response.status_code == 302 and "/accounts/login/?next=/%3Fpage%3D1" in response["Location"]
    )
    assert not Vote.objects.exists()


def test_a_refused_vote_from_the_front_page_says_why(client, a_thread, a_user):
    client.force_login(a_user)  # alice wrote it
    response = vote(client, a_thread, 1, "/")
    assert response.status_code == 403
    bad = client.post(reverse("threads:thread-vote", args=[a_thread.pk]), {"value": "x"})
    assert bad.status_code in (400, 403)


def test_the_script_gets_the_new_score(client, a_thread, another_user):
    client.force_login(another_user)
    response = client.post(
        reverse("threads:thread-vote", args=[a_thread.pk]),
        {"value": 1, "next": "/"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.json() == {"vote": 1, "score": 1, "shown": "1"}


def test_the_selector_leaves_out_removed_for_members(a_moderator):
    shown, removed = make_thread(title="shown"), make_thread(title="gone")
    services.thread_remove(moderator=a_moderator, thread=removed, reason="spam")
    member = make_user("member")
    page = selectors.front_page("new", page_number=1, viewer=member)
    assert [t.pk for t in page.threads] == [shown.pk]
    as_mod = selectors.front_page("new", page_number=1, viewer=a_moderator)
    assert [t.pk for t in as_mod.threads] == [removed.pk, shown.pk]
    assert presentation.sees_removed_text(a_moderator)


def test_pins_longer_than_a_page_run_on_to_the_next(a_moderator, monkeypatch):
    monkeypatch.setattr(limits, "THREADS_PER_PAGE", 2)
    rest = [make_thread(title=f"R{n}") for n in range(2)]
    pins = [make_thread(title=f"P{n}") for n in range(3)]
    for thread in pins:
        services.thread_pin(moderator=a_moderator, thread=thread)
    pages = [selectors.front_page("new", page_number=n, viewer=None) for n in (1, 2, 3)]
    shown = [[t.title for t in page.threads] for page in pages]
    assert shown == [["P0", "P1"], ["P2", "R1"], ["R0"]]
    assert [t.rank for t in pages[1].threads] == [3, 4]
    assert [page.page.has_next() for page in pages] == [True, True, False]
    assert len(rest) + len(pins) == 5
