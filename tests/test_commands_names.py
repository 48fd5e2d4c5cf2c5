"""``manage.py list_nonconforming_names``: the accounts made before the name rules."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def run(**options) -> str:
    out = StringIO()
    call_command("list_nonconforming_names", stdout=out, no_color=True, **options)
    return out.getvalue()


def test_lists_each_account_that_breaks_the_rules_and_counts_them():
    alice = make_user("alice")
    make_user("bob_99")
    lookalike = make_user("аlice")
    upper = make_user("Alice")
    spaced = make_user("zoë b")
    short = make_user("al")
    assert run() == (
        f"аlice (id {lookalike.pk}): “а” (cyrillic small letter a) looks like the letter “a” "
        "but is not it: names use only the letters A–Z and a–z, digits, _ and -, so no name "
        "can pass for another.\n"
        f"Alice (id {upper.pk}): The same name as alice (id {alice.pk}) without regard to "
        "case.\n"
        f"zoë b (id {spaced.pk}): “ë” (latin small letter e with diaeresis) looks like the "
        "letter “e” but is not it: names use only the letters A–Z and a–z, digits, _ and -, "
        "so no name can pass for another.\n"
        f"al (id {short.pk}): A name has at least 3 characters.\n"
        "4 accounts break the name rules.\n"
    )


def test_a_name_that_breaks_a_rule_and_clashes_says_both():
    first = make_user("a.b")
    second = make_user("A.B")
    assert run() == (
        f"a.b (id {first.pk}): A name may use only the letters A–Z and a–z, digits, _ and -: "
        "“.” (full stop) is not one of them.\n"
        f"A.B (id {second.pk}): A name may use only the letters A–Z and a–z, digits, _ and -: "
        f"“.” (full stop) is not one of them. Also the same name as a.b (id {first.pk}) "
        "without regard to case.\n"
        "2 accounts break the name rules.\n"
    )


def test_says_so_when_every_name_follows_the_rules():
    make_user("alice")
    assert run() == "Every account name follows the rules.\n"


def test_quiet_at_verbosity_zero():
    make_user("al")
    assert run(verbosity=0) == ""
