"""Times, scores and user links read the same wherever they appear: in the comment tree
(written in Python) and in the templates around it, and every ``<time datetime>`` is a
value HTML accepts."""

import re
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone as django_timezone

from tests.factories import make_comment, make_thread, make_user
from threads import presentation, services
from threads.models import Comment, Thread

MOMENT = datetime(2026, 11, 25, 20, 20, 37, 123456, tzinfo=UTC)

# HTML's "valid global date and time string", as the page must write it.
HTML_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?(Z|[+-]\d\d:\d\d)$")


@pytest.mark.parametrize(
    "moment, iso",
    [
        (MOMENT, "2026-11-25T20:20:37.123Z"),
        (MOMENT.replace(microsecond=0), "2026-11-25T20:20:37Z"),
        (MOMENT.replace(microsecond=999999), "2026-11-25T20:20:37.999Z"),
        (MOMENT.replace(microsecond=7), "2026-11-25T20:20:37.000Z"),
        (MOMENT.astimezone(timezone(timedelta(hours=-5, minutes=-30))), "2026-11-25T20:20:37.123Z"),
        (MOMENT.replace(tzinfo=None), "2026-11-25T20:20:37.123Z"),
    ],
)
def test_iso_datetime_is_utc_with_at_most_milliseconds(moment, iso):
    assert presentation.iso_datetime(moment) == iso
    assert HTML_DATETIME.match(iso)
    assert presentation.human_datetime(moment) == "2026-11-25 20:20:37 UTC"


@pytest.mark.parametrize(
    "seconds, text",
    [
        (-30, "just now"),  # a clock a little ahead
        (0, "just now"),
        (59.9, "just now"),
        (60, "1 minute ago"),
        (119, "1 minute ago"),
        (120, "2 minutes ago"),
        (3600, "1 hour ago"),
        (5 * 3600 + 59, "5 hours ago"),
        (86400, "1 day ago"),
        (29 * 86400, "29 days ago"),
        (30 * 86400, "1 month ago"),
        (400 * 86400, "1 year ago"),
        (3 * 365 * 86400, "3 years ago"),
    ],
)
def test_ago(seconds, text):
    assert presentation.ago(MOMENT - timedelta(seconds=seconds), MOMENT) == text


@pytest.mark.parametrize(
    "score, text", [(1, "1 point"), (-1, "-1 point"), (0, "0 points"), (5, "5 points"),
                    (-7, "-7 points")]
)  # fmt: skip
def test_points(score, text):
    assert presentation.points(score) == text


def render_template(source: str, **context) -> str:
    return Template("{% load forum %}" + source).render(Context(context))


def test_the_template_filters_write_what_the_tree_writes():
    now = django_timezone.now()
    moment = now - timedelta(hours=5, seconds=1)
    html = render_template(
        "{{ m|time_ago }}|{{ m|iso }}|{{ m|ago }}|{{ s|points }}|{{ z|time_ago }}", m=moment, s=1
    )
    iso = presentation.iso_datetime(moment)
    human = presentation.human_datetime(moment)
    assert html == (
        f'<time datetime="{iso}" title="{human}">5 hours ago</time>|{iso}|5 hours ago|1 point|'
    )


# Pages: every <time datetime> a reader's browser sees


class TimeElements(HTMLParser):
    """The ``datetime`` and text of every ``<time>`` of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.times: list[tuple[str, str]] = []
        self._open = False

    def handle_starttag(self, tag, attrs):
        if tag == "time":
            self.times.append((dict(attrs).get("datetime") or "", ""))
            self._open = True

    def handle_endtag(self, tag):
        if tag == "time":
            self._open = False

    def handle_data(self, data):
        if self._open:
            value, text = self.times[-1]
            self.times[-1] = (value, text + data)


def times_on(client, url: str) -> list[tuple[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert html.count("datetime=") == html.count("<time ")
    parser = TimeElements()
    parser.feed(html)
    parser.close()
    return parser.times


@pytest.mark.django_db
def test_every_time_on_every_page_is_a_valid_html_datetime(client, a_moderator):
    dana = make_user("dana")
    thread = make_thread(author=dana, title="Times")
    comment = make_comment(thread, author=dana, body="first")
    reply = make_comment(thread, parent=comment, body="second")
    services.comment_edit(user=reply.author, comment=reply, body="second, edited")
    services.thread_lock(moderator=a_moderator, thread=thread, reason="done")
    # Microseconds on every stored time, as the database keeps them.
    odd = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    Thread.objects.filter(pk=thread.pk).update(created_at=odd)
    Comment.objects.filter(pk=comment.pk).update(created_at=odd)
    pages = {
        thread.get_absolute_url(): 3,  # the thread's head and its two comments
        reverse("threads:thread-list"): 1,
        reverse("threads:user-detail", kwargs={"username": "dana"}): 3,  # joined, 2 items
        reverse("threads:moderation-log"): 1,
        reverse("threads:comment-detail", kwargs={"pk": comment.pk}): 2,
    }
    for url, count in pages.items():
        times = times_on(client, url)
        assert len(times) == count, url
        for value, _ in times:
            assert HTML_DATETIME.match(value), (url, value)
    assert times_on(client, "/")[0][0] == "2026-01-02T03:04:05.678Z"


@pytest.mark.django_db
def test_a_fresh_thread_and_comment_read_just_now_in_head_and_tree(client):
    thread = make_thread(title="Fresh")
    make_comment(thread, body="hello")
    times = times_on(client, thread.get_absolute_url())
    assert [text for _, text in times] == ["just now", "just now"]


@pytest.mark.django_db
def test_head_and_tree_write_the_same_time_element_for_the_same_moment(client):
    thread = make_thread(title="Same")
    comment = make_comment(thread, body="hello")
    moment = django_timezone.now() - timedelta(hours=5, minutes=3)
    Thread.objects.filter(pk=thread.pk).update(created_at=moment, score=1)
    Comment.objects.filter(pk=comment.pk).update(created_at=moment, score=1)
    html = client.get(thread.get_absolute_url()).content.decode()
    element = (
        f'<time datetime="{presentation.iso_datetime(moment)}" '
        f'title="{presentation.human_datetime(moment)}">5 hours ago</time>'
    )
    assert html.count(element) == 2
    assert " · 1 point · " in html  # the head
    assert '<span class="score">1 point</span>' in html  # the comment


# User links: the tree writes what the URL conf reverses

AWKWARD_NAMES = ["zoë.b+x", "a b", "100%", "日本語", "me@host", "a&b'c\"d", "x?y#z", "~:;=,"]


@pytest.mark.parametrize("name", AWKWARD_NAMES)
def test_path_segment_is_what_reverse_writes(name):
    segment = presentation.path_segment(name)
    assert f"/u/{segment}/" == reverse("threads:user-detail", kwargs={"username": name})


def test_a_slash_stays_inside_its_segment():
    assert presentation.path_segment("a/b") == "a%2Fb"


class Links(HTMLParser):
    """The href and text of every link with class ``author`` or inside ``span.author``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._in_author = False
        self._open = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "author" in (attrs.get("class") or "").split():
            self._in_author = True
        if tag == "a" and self._in_author:
            self.links.append((attrs["href"], ""))
            self._open = True

    def handle_endtag(self, tag):
        if tag in ("a", "span"):
            self._open = self._in_author = False

    def handle_data(self, data):
        if self._open:
            href, text = self.links[-1]
            self.links[-1] = (href, text + data)


@pytest.mark.django_db
@pytest.mark.parametrize("name", AWKWARD_NAMES)
def test_a_names_link_in_the_tree_is_the_one_the_templates_write_and_it_opens(client, name):
    # create_user does not validate: the renderer must not rely on the sign-up form.
    person = make_user(name)
    thread = make_thread(author=person, title="Names")
    make_comment(thread, author=person, body="hi")
    parser = Links()
    parser.feed(client.get(thread.get_absolute_url()).content.decode())
    page = reverse("threads:user-detail", kwargs={"username": name})
    assert parser.links == [(page, name), (page, name)]  # the head (template), the tree
    response = client.get(page)
    assert response.status_code == 200
    assert response.context["profile"] == person
