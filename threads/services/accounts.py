"""Accounts: bans, moderators, and removing an account without corrupting scores.

Bans stop a member writing; they can still log in and read. Removing an account keeps
the conversations whole: the member's words become "[deleted]" where they stood, their
votes are withdrawn with the scores moved back, and only then does the row go.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from threads import page_cache
from threads.models import MODERATORS_GROUP, Ban, Comment, ModerationLog, Thread
from threads.services import moderation
from threads.services.moderation import Outcome
from threads.services.permissions import clean_reason, ensure_moderator
from threads.services.votes import votes_withdraw

BAN_SELF = "You can't ban yourself."
BAN_STAFF = "Only a superuser can ban staff."
BAN_END_IN_PAST = "The end of the ban must be in the future."
NO_MODERATORS_GROUP = 'The "{group}" group is missing: run "make migrate" first.'
REMOVE_OTHERS = "Only a superuser can remove someone else's account."


def user_ban(*, moderator, user, reason: str, until=None) -> Outcome:
    """Stop ``user`` writing until ``until`` (None: for good); they can still log in and read.

    Banning again with the same reason and end changes nothing; different terms replace
    the ban in force (the old row is kept, marked lifted).
    """
    ensure_moderator(moderator, "auth.change_user")
    if user.pk == moderator.pk:
        raise ValidationError(BAN_SELF, code="ban_self")
    if user.is_staff and not moderator.is_superuser:
        raise PermissionDenied(BAN_STAFF)
    reason = clean_reason(reason, required=True)
    now = timezone.now()
    if until is not None and until <= now:
        raise ValidationError(BAN_END_IN_PAST, code="ban_end_in_past")
    with transaction.atomic():
        current = Ban.objects.select_for_update().filter(user=user, lifted_at__isnull=True).first()
        same_terms = current is not None and (current.reason, current.until) == (reason, until)
        if same_terms and current.is_active:
            return Outcome(current, False)
        if current is not None:
            Ban.objects.filter(pk=current.pk).update(lifted_at=now)
        ban = Ban.objects.create(
            user=user, reason=reason, until=until, banned_by=moderator, created_at=now
        )
        moderation.log_action(
            moderator, ModerationLog.Action.USER_BAN, user=user, reason=reason, detail=ban.term
        )
        page_cache.site_changed()
    return Outcome(ban, True)


def user_unban(*, moderator, user, reason: str = "") -> Outcome:
    """Lift the ban in force, if any; ``item`` is the lifted ban (None when there was none)."""
    ensure_moderator(moderator, "auth.change_user")
    reason = clean_reason(reason, required=False)
    now = timezone.now()
    with transaction.atomic():
        ban = Ban.objects.select_for_update().active(now=now).filter(user=user).first()
        if ban is None:
            return Outcome(None, False)
        Ban.objects.filter(pk=ban.pk).update(lifted_at=now)
        ban.lifted_at = now
        moderation.log_action(moderator, ModerationLog.Action.USER_UNBAN, user=user, reason=reason)
        page_cache.site_changed()
    return Outcome(ban, True)


def moderator_add(*, user) -> bool:
    """Make ``user`` a moderator: staff, in the Moderators group. False if already one."""
    group = Group.objects.filter(name=MODERATORS_GROUP).first()
    if group is None:
        raise ValidationError(NO_MODERATORS_GROUP.format(group=MODERATORS_GROUP), code="no_group")
    with transaction.atomic():
        changed = not user.is_staff or not user.groups.filter(pk=group.pk).exists()
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(group)
    return changed


def account_remove(*, user, by) -> int:
    """Remove ``user``'s account; ``by`` is the member themself or a superuser.

    In one transaction: every comment they wrote is deleted as its author would delete
    it (text gone, replies in place), their threads lose their body (the title stays so
    the discussion keeps its head), their votes are withdrawn with the scores moved
    back, and the account row goes (their name shows as "[deleted]"). Returns the
    number of votes withdrawn.
    """
    if by is None or not (by.pk == user.pk or by.is_superuser):
        raise PermissionDenied(REMOVE_OTHERS)
    with transaction.atomic():
        Comment.objects.filter(author=user).update(is_deleted=True, body="", body_html="")
        Thread.objects.filter(author=user).update(body="", body_html="")
        withdrawn = votes_withdraw(user=user)
        if by.pk != user.pk:
            moderation.log_action(
                by, ModerationLog.Action.ACCOUNT_REMOVE, detail=f"account {user.get_username()}"
            )
        user.delete()
        page_cache.everything_changed()  # their name and words, on any thread
    return withdrawn
