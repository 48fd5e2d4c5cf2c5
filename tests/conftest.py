import pytest

from tests.factories import make_comment, make_thread, make_user


@pytest.fixture
def a_user(db):
    """An ordinary member."""
    return make_user("alice")


@pytest.fixture
def another_user(db):
    """A second member, to vote on alice's words."""
    return make_user("bob")


@pytest.fixture
def a_thread(db, a_user):
    """A thread alice started."""
    return make_thread(author=a_user, title="Hello forum")


@pytest.fixture
def a_comment(a_thread, another_user):
    """A top-level comment by bob."""
    return make_comment(a_thread, author=another_user, body="first!")


@pytest.fixture
def a_reply(a_thread, a_comment, a_user):
    """alice's reply to bob's comment."""
    return make_comment(a_thread, parent=a_comment, author=a_user, body="a reply")
