"""Who hears of a new comment or thread (inbox items), blocks, saved items, feed tokens:
every rule of ``services.inbox``, ``services.blocks`` and ``services.saved``."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_comment, make_moderator, make_thread, make_user
from threads import limits, services
from threads.importers import forum_json
from threads.importers.synthetic import synthetic_thread
from threads.models import Block, Comment, Distinguished, InboxItem, Profile, SavedItem, Thread

pytestmark = pytest.mark.django_db

Kind = InboxItem.Kind


def items_of(user) -> list[tuple[str, int | None]]:
    """(kind, comment id) of each item ``user`` got, oldest first."""
    rows = InboxItem.objects.filter(recipient=user).order_by("id")
    return [(item.kind, item.comment_id) for item in rows]


@pytest.fixture
def people(db):
    """alice started a thread; bob and carl take part."""
    alice, bob, carl = make_user("alice"), make_user("bob"), make_user("carl")
    return alice, bob, carl, make_thread(author=alice, title="Alice asks")


# Who gets an item


def test_a_reply_tells_the_author_of_the_comment_it_answers(people):
    alice, bob, carl, thread = people
    top = make_comment(thread, author=bob, body="bob's answer")
    reply = make_comment(thread, parent=top, author=carl, body="carl replies")
    assert items_of(bob) == [(Kind.COMMENT_REPLY, reply.pk)]
    assert items_of(carl) == []


def test_a_top_level_comment_tells_the_thread_author(people):
    alice, bob, _, thread = people
    top = make_comment(thread, author=bob, body="bob's answer")
    assert items_of(alice) == [(Kind.THREAD_REPLY, top.pk)]
    item = InboxItem.objects.get(recipient=alice)
    assert (item.thread_id, item.is_read) == (thread.pk, False)


def test_a_reply_to_a_reply_tells_only_its_parent_not_the_thread_author(people):
    alice, bob, carl, thread = people
    top = make_comment(thread, author=bob)
    make_comment(thread, parent=top, author=carl)
    assert [kind for kind, _ in items_of(alice)] == [Kind.THREAD_REPLY]  # bob's only


def test_nobody_hears_of_their_own_replies(people):
    alice, bob, _, thread = people
    own_top = make_comment(thread, author=alice, body="alice on her own thread")
    make_comment(thread, parent=own_top, author=alice, body="and again @alice")
    assert items_of(alice) == []


def test_a_mention_tells_the_member_named(people):
    alice, bob, carl, thread = people
    comment = make_comment(thread, author=bob, body="what do you think, @carl?")
    assert items_of(carl) == [(Kind.MENTION, comment.pk)]


def test_a_mention_of_nobody_is_plain_text_and_tells_nobody(people):
    alice, bob, _, thread = people
    comment = make_comment(thread, author=bob, body="ask @nobody-here about it")
    assert "@nobody-here" in comment.body_html and "<a" not in comment.body_html
    assert InboxItem.objects.exclude(recipient=alice).count() == 0


def test_a_mention_of_an_inactive_account_tells_nobody(people):
    alice, bob, carl, thread = people
    carl.is_active = False
    carl.save()
    comment = make_comment(thread, author=bob, body="hi @carl")
    assert items_of(carl) == [] and "<a" not in comment.body_html


def test_a_reply_that_also_names_its_parents_author_makes_one_item(people):
    alice, bob, carl, thread = people
    top = make_comment(thread, author=bob)
    reply = make_comment(thread, parent=top, author=carl, body="@bob you and @bob again")
    assert items_of(bob) == [(Kind.COMMENT_REPLY, reply.pk)]


def test_a_mention_in_a_new_threads_text_tells_the_member(people):
    alice, bob, carl, _ = people
    thread = services.thread_create(author=bob, title="Hey", body="cc @carl and @bob")
    items = list(InboxItem.objects.filter(recipient=carl))
    assert [(i.kind, i.thread_id, i.comment_id) for i in items] == [(Kind.MENTION, thread.pk, None)]
    assert items_of(bob) == []  # naming yourself tells nobody


def test_mentions_are_capped_per_comment_and_the_rest_stay_plain_text(people):
    _, bob, _, thread = people
    named = [make_user(f"m{n}") for n in range(limits.MENTIONS_PER_TEXT + 2)]
    body = " ".join(f"@{user.username}" for user in named)
    comment = make_comment(thread, author=bob, body=body)
    told = set(InboxItem.objects.filter(kind=Kind.MENTION).values_list("recipient", flat=True))
    assert told == {user.pk for user in named[: limits.MENTIONS_PER_TEXT]}
    assert comment.body_html.count("<a ") == limits.MENTIONS_PER_TEXT
    assert f'href="/u/m{limits.MENTIONS_PER_TEXT}/"' not in comment.body_html


def test_imports_tell_nobody(people):
    alice, bob, _, _ = people
    data = synthetic_thread(comments=5, source="import:mentions")
    data["threads"][0]["body"] = "thread text for @alice"
    for row in data["threads"][0]["comments"]:
        row["author"], row["body"] = "alice", "an imported word for @bob and @alice"
    services.thread_import(parsed=forum_json.parse_data(data, name="test")[0])
    assert Comment.objects.filter(body__contains="@bob").count() == 5
    assert InboxItem.objects.count() == 0


# Blocks


def test_a_blocked_members_replies_and_mentions_never_arrive(people):
    alice, bob, carl, thread = people
    services.user_block(user=alice, blocked=bob)
    services.user_block(user=carl, blocked=bob)
    make_comment(thread, author=bob, body="to alice's thread, naming @carl")
    assert items_of(alice) == [] and items_of(carl) == []
    mine = make_comment(thread, author=alice)
    make_comment(thread, parent=mine, author=bob, body="answering alice")
    assert items_of(alice) == []


def test_a_block_keeps_out_only_the_blocked_member(people):
    alice, bob, carl, thread = people
    services.user_block(user=carl, blocked=alice)  # carl blocks alice, not bob
    comment = make_comment(thread, author=bob, body="@carl look")
    assert items_of(carl) == [(Kind.MENTION, comment.pk)]
    assert items_of(alice) == [(Kind.THREAD_REPLY, comment.pk)]


def test_blocking_removes_what_the_member_already_put_in_your_inbox(people):
    alice, bob, carl, thread = people
    make_comment(thread, author=bob, body="bob answers")
    by_carl = make_comment(thread, author=carl, body="carl answers")
    services.thread_create(author=bob, title="Another", body="@alice see")
    assert len(items_of(alice)) == 3
    services.user_block(user=alice, blocked=bob)
    assert items_of(alice) == [(Kind.THREAD_REPLY, by_carl.pk)]


def test_blocking_is_private_idempotent_and_undone(people):
    alice, bob, _, _ = people
    first = services.user_block(user=alice, blocked=bob)
    again = services.user_block(user=alice, blocked=bob)
    assert first.pk == again.pk and Block.objects.count() == 1
    assert services.user_unblock(user=alice, blocked=bob) is True
    assert services.user_unblock(user=alice, blocked=bob) is False
    assert Block.objects.count() == 0


def test_nobody_blocks_themselves(people):
    alice = people[0]
    with pytest.raises(ValidationError) as error:
        services.user_block(user=alice, blocked=alice)
    assert error.value.messages == [services.BLOCK_SELF]
    assert Block.objects.count() == 0


# Costs and transactions


def inbox_inserts(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "threads_inboxitem"')]


def test_a_reply_that_notifies_costs_one_insert(people):
    alice, bob, carl, thread = people
    top = make_comment(thread, author=bob)
    with CaptureQueriesContext(connection) as queries:
        services.comment_create(author=carl, thread=thread, parent=top, body="plain answer")
    assert len(inbox_inserts(queries)) == 1
    with CaptureQueriesContext(connection) as queries:
        services.comment_create(author=carl, thread=thread, parent=top, body="@alice @bob @x")
    assert len(inbox_inserts(queries)) == 1  # one INSERT for the reply and both mentions
    assert InboxItem.objects.count() == 4  # alice: thread reply, mention; bob: two replies


def test_a_comment_that_tells_nobody_writes_no_item_and_reads_no_blocks(people):
    alice, _, _, thread = people
    with CaptureQueriesContext(connection) as queries:
        make_comment(thread, author=alice, body="my own thread")
    assert not any("inboxitem" in q["sql"] or "threads_block" in q["sql"] for q in queries)


def test_a_failing_inbox_insert_leaves_no_comment(people, monkeypatch):
    alice, bob, _, thread = people

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(InboxItem.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        services.comment_create(author=bob, thread=thread, body="hello @alice")
    assert Comment.objects.count() == 0
    assert Thread.objects.get(pk=thread.pk).comment_count == 0
    with pytest.raises(RuntimeError):
        services.thread_create(author=bob, title="Lost", body="@alice")
    assert not Thread.objects.filter(title="Lost").exists()
    assert InboxItem.objects.count() == 0


def test_a_refused_comment_leaves_no_item(people):
    alice, bob, _, thread = people
    services.thread_lock(moderator=make_moderator("mia"), thread=thread, reason="done")
    with pytest.raises(PermissionDenied):
        services.comment_create(author=bob, thread=Thread.objects.get(pk=thread.pk), body="@alice")
    assert InboxItem.objects.count() == 0


# Reading the inbox


def test_members_mark_their_own_items_read_one_or_all(people):
    alice, bob, carl, thread = people
    make_comment(thread, author=bob)
    make_comment(thread, author=carl)
    first, second = InboxItem.objects.filter(recipient=alice).order_by("id")
    services.inbox_item_mark_read(user=alice, item_id=first.pk)
    assert InboxItem.objects.filter(recipient=alice, is_read=False).get() == second
    services.inbox_item_mark_read(user=alice, item_id=first.pk, read=False)
    assert services.inbox_mark_all_read(user=alice) == 2
    assert services.inbox_mark_all_read(user=alice) == 0


def test_nobody_marks_someone_elses_items(people):
    alice, bob, carl, thread = people
    make_comment(thread, author=bob, body="@carl")
    item = InboxItem.objects.get(recipient=alice)
    with pytest.raises(PermissionDenied) as error:
        services.inbox_item_mark_read(user=carl, item_id=item.pk)
    assert str(error.value) == services.NOT_YOUR_ITEM
    with pytest.raises(PermissionDenied):
        services.inbox_item_mark_read(user=carl, item_id=999_999)
    assert services.inbox_mark_all_read(user=carl) == 1  # carl's own mention only
    assert InboxItem.objects.get(pk=item.pk).is_read is False


def test_rotating_the_feed_token_replaces_it(people):
    alice = people[0]
    old = Profile.of(alice).feed_token
    new = services.feed_token_rotate(user=alice).feed_token
    assert new != old and len(new) >= 40
    assert Profile.objects.get(user=alice).feed_token == new


# Saved items


def test_saving_and_unsaving_comments_and_threads(people):
    alice, bob, _, thread = people
    comment = make_comment(thread, author=bob)
    services.item_save(user=alice, item=comment)
    services.item_save(user=alice, item=comment)  # again: still one
    services.item_save(user=alice, item=thread)
    assert SavedItem.objects.filter(user=alice).count() == 2
    assert services.item_unsave(user=alice, item=comment) is True
    assert services.item_unsave(user=alice, item=comment) is False
    assert list(SavedItem.objects.values_list("thread_id", "comment_id")) == [(thread.pk, None)]


# Speaking as a moderator


def test_a_moderator_may_speak_as_one(people):
    _, _, _, thread = people
    mia = make_moderator("mia")
    comment = services.comment_create(author=mia, thread=thread, body="Rules.", distinguish=True)
    assert Comment.objects.get(pk=comment.pk).distinguished == Distinguished.MODERATOR
    plain = services.comment_create(author=mia, thread=thread, body="as myself")
    assert Comment.objects.get(pk=plain.pk).distinguished == ""


def test_a_member_cannot_speak_as_a_moderator(people):
    _, bob, _, thread = people
    with pytest.raises(PermissionDenied) as error:
        services.comment_create(author=bob, thread=thread, body="I am the law", distinguish=True)
    assert str(error.value) == services.NOT_A_MODERATOR
    assert Comment.objects.count() == 0
