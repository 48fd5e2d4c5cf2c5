"""The rules for new account names and email addresses, and the services that hold them."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import logs_in, make_comment, make_thread, make_user
from threads import names, services
from threads.models import Comment, Profile, Thread

User = get_user_model()


@pytest.mark.parametrize("name", ["abc", "alice", "Bob_99", "x-y_z", "a" * 20, "007", "___"])
def test_names_that_follow_the_rules(name):
    assert names.name_problem(name) is None


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", names.NAME_REQUIRED),
        ("ab", names.NAME_TOO_SHORT),
        ("a" * 21, names.NAME_TOO_LONG),
        ("bob smith", "“ ” (a space) is not one of them"),
        ("ab!", "“!” (exclamation mark) is not one of them"),
        ("al.ice", "“.” (full stop) is not one of them"),
        ("a@b", "“@” (commercial at) is not one of them"),
        ("аlice", "“а” (cyrillic small letter a) looks like the letter “a” but is not it"),
        ("mоd1", "“о” (cyrillic small letter o) looks like the letter “o” but is not it"),
        ("zoë", "“ë” (latin small letter e with diaeresis) looks like the letter “e”"),
        ("Ａlice", "“Ａ” (fullwidth latin capital letter a) looks like the letter “A”"),
        ("名前です", "“名” (cjk unified ideograph-540d) is not one of them"),
    ],
)
def test_names_that_break_the_rules_say_why(name, message):
    assert message in names.name_problem(name)


def test_the_rule_is_said_in_words():
    assert names.NAME_RULE.startswith("3–20 characters: letters A–Z and a–z, digits, _ and -.")


@pytest.mark.django_db
def test_account_create_makes_a_member_who_can_log_in(client):
    user = services.account_create(username="newbie", password="correct-horse-1", email="")
    assert user.email == ""
    assert logs_in(client, "newbie", "correct-horse-1")


@pytest.mark.django_db
@pytest.mark.parametrize("taken", ["Alice", "ALICE", "alice"])
def test_names_are_unique_without_regard_to_case(taken):
    make_user("alice")
    with pytest.raises(ValidationError) as error:
        services.account_create(username=taken, password="correct-horse-1")
    assert error.value.messages == [names.NAME_TAKEN.format(name=taken)]
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_a_look_alike_name_is_refused_beside_the_real_one():
    make_user("alice")
    with pytest.raises(ValidationError) as error:
        services.account_create(username="аlice", password="correct-horse-1")
    assert "cyrillic small letter a" in error.value.messages[0]
    assert list(User.objects.values_list("username", flat=True)) == ["alice"]


@pytest.mark.django_db
def test_email_is_optional_and_unique_without_regard_to_case():
    first = services.account_create(
        username="first", password="correct-horse-1", email=" Ann@Example.COM "
    )
    assert first.email == "Ann@example.com"  # trimmed, the domain in lower case
    services.account_create(username="second", password="correct-horse-1")
    services.account_create(username="third", password="correct-horse-1")  # blanks never clash
    with pytest.raises(ValidationError) as error:
        services.account_create(
            username="fourth", password="correct-horse-1", email="ann@EXAMPLE.com"
        )
    assert error.value.messages == [services.EMAIL_TAKEN]
    assert not User.objects.filter(username="fourth").exists()


@pytest.mark.django_db
def test_existing_accounts_that_break_the_rules_keep_working(client):
    old = make_user("zoë.b")  # made before the rules
    assert logs_in(client, "zoë.b", "pw-for-tests-1")
    thread = make_thread(author=old)
    make_comment(thread, author=old, body="still here")
    services.email_change(user=old, email="zoe@example.com")
    assert User.objects.get(pk=old.pk).email == "zoe@example.com"


@pytest.mark.django_db
def test_email_change_refuses_another_members_address(a_user, another_user):
    services.email_change(user=another_user, email="bob@example.com")
    with pytest.raises(ValidationError) as error:
        services.email_change(user=a_user, email="BOB@example.com")
    assert error.value.messages == [services.EMAIL_TAKEN]
    assert User.objects.get(pk=a_user.pk).email == ""


@pytest.mark.django_db
def test_comment_sort_set_keeps_a_known_order_only(a_user):
    assert services.comment_sort_set(user=a_user, sort="new").default_comment_sort == "new"
    assert Profile.objects.get(user=a_user).default_comment_sort == "new"
    with pytest.raises(ValidationError):
        services.comment_sort_set(user=a_user, sort="random")
    assert Profile.objects.get(user=a_user).default_comment_sort == "new"
    services.comment_sort_set(user=a_user, sort="")
    assert Profile.objects.get(user=a_user).default_comment_sort == ""


@pytest.mark.django_db
def test_account_close_needs_the_password(a_user, a_thread, another_user):
    comment = make_comment(a_thread, author=a_user, body="mine")
    services.vote_cast(user=a_user, item=make_comment(a_thread, author=another_user), value=1)
    with pytest.raises(ValidationError) as error:
        services.account_close(user=a_user, password="wrong")
    assert error.value.messages == [services.WRONG_PASSWORD]
    assert User.objects.filter(pk=a_user.pk).exists()

    assert services.account_close(user=a_user, password="pw-for-tests-1") == 1
    assert not User.objects.filter(pk=a_user.pk).exists()
    comment = Comment.objects.get(pk=comment.pk)
    assert (comment.is_deleted, comment.body, comment.shown_author) == (True, "", "[deleted]")
    assert Thread.objects.get(pk=a_thread.pk).shown_author == "[deleted]"


@pytest.mark.django_db
def test_account_remove_of_someone_else_is_refused(a_user, another_user):
    with pytest.raises(PermissionDenied):
        services.account_remove(user=a_user, by=another_user)


@pytest.mark.django_db
def test_the_admins_add_user_form_follows_the_name_rules(client, a_user):
    root = User.objects.create_superuser("root", "root@example.com", "pw-for-tests-1")
    client.force_login(root)
    data = {"username": "аlice", "usable_password": "true",
            "password1": "correct-horse-1", "password2": "correct-horse-1"}  # fmt: skip
    response = client.post("/admin/auth/user/add/", data)
    assert response.status_code == 200
    assert "cyrillic small letter a" in response.content.decode()
    response = client.post("/admin/auth/user/add/", {**data, "username": "ALICE"})
    assert "The name “ALICE” is taken" in response.content.decode()
    response = client.post("/admin/auth/user/add/", {**data, "username": "carol"})
    assert response.status_code == 302
    assert User.objects.filter(username="carol").exists()
