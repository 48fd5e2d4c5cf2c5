"""Make an existing account a moderator: staff status plus the "Moderators" group.

The group (created by a migration) grants exactly what moderation needs: viewing and
changing threads, comments, reports and users through the admin's logged actions, and
reading the moderation log; no deleting. Running it again changes nothing.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from threads import services
from threads.models import MODERATORS_GROUP


class Command(BaseCommand):
    help = 'Give USERNAME staff status and the "Moderators" group; idempotent.'

    def add_arguments(self, parser):
        parser.add_argument("username", help="An existing account's username.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would change; write nothing."
        )

    def handle(self, *args, username, dry_run, verbosity, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(
                f'No user named "{username}". Create the account first (sign up on the '
                'site, or "make superuser").'
            ) from None
        with transaction.atomic():
            try:
                changed = services.moderator_add(user=user)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            if dry_run:
                transaction.set_rollback(True)
        if not verbosity:
            return
        if not changed:
            self.stdout.write(self.style.NOTICE(f"{username} is already a moderator."))
        elif dry_run:
            self.stdout.write(self.style.SUCCESS(f"Would make {username} a moderator."))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f'{username} is now a moderator (staff, in the "{MODERATORS_GROUP}" group).'
                )
            )
