"""List the accounts whose names break the rules new names follow (``threads.names``).

Accounts made before the rules keep working; this lets moderators see which names could
pass for another member (letters of other scripts, a name that differs from an older
one only in case) and decide what to do. It reads and changes nothing.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from threads.names import name_key, name_problem

SAME_NAME = "the same name as {other} (id {pk}) without regard to case"


class Command(BaseCommand):
    help = "List accounts whose names break the rules for new names (read-only)."

    def handle(self, *args, verbosity, **options):
        User = get_user_model()
        first_with_key: dict[str, tuple[int, str]] = {}
        found = []
        for pk, name in User.objects.order_by("pk").values_list("pk", User.USERNAME_FIELD):
            problem = name_problem(name)
            key = name_key(name)
            if key in first_with_key:
                other_pk, other = first_with_key[key]
                same = SAME_NAME.format(other=other, pk=other_pk)
                problem = f"{problem} Also {same}." if problem else f"{same[0].upper()}{same[1:]}."
            else:
                first_with_key[key] = (pk, name)
            if problem:
                found.append((pk, name, problem))
        if not verbosity:
            return
        for pk, name, problem in found:
            self.stdout.write(f"{name} (id {pk}): {problem}")
        if found:
            noun = "account breaks" if len(found) == 1 else "accounts break"
            self.stdout.write(self.style.NOTICE(f"{len(found)} {noun} the name rules."))
        else:
            self.stdout.write(self.style.SUCCESS("Every account name follows the rules."))
