"""Mail the forum sends, through Django's email framework (``settings.EMAIL_BACKEND``).

Sending can fail (the SMTP server is down, refuses the address): every sender here
reports it, logs it, and the page says so instead of claiming a mail went out. Django's
own ``PasswordResetForm`` logs a failure and carries on, so the page would say "sent";
``HonestPasswordResetForm`` remembers the failure for the view to tell.

A new email address takes effect only when a link mailed to it is opened: the link
carries a signed, expiring token (``django.core.signing``) naming the account, the new
address and the address it had, so a link stops working once the address changed.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core import checks, signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.template import loader

from threads import limits, services

logger = logging.getLogger(__name__)

EMAIL_CHANGE_SALT = "threads.mail.email-change"
LINK_EXPIRED = "This link has expired: ask for a new one from your settings."
LINK_BROKEN = "This link is not valid (it may be cut short): copy the whole link from the mail."
LINK_NOT_YOURS = "This link was sent for another account: log in as that account to use it."
LINK_USED = "This link was made for an address you no longer have: ask for a new one."


class MailNotSent(Exception):
    """The mail could not be handed to the mail server; the reason is logged."""


def send(*, subject: str, body: str, to: str, what: str) -> None:
    """Send one plain-text mail or raise ``MailNotSent``; ``what`` names it in the log."""
    message = EmailMultiAlternatives("".join(subject.splitlines()), body, None, [to])
    try:
        message.send()
    except Exception as error:
        logger.exception("Could not send the %s mail", what)
        raise MailNotSent(str(error)) from error


class HonestPasswordResetForm(PasswordResetForm):
    """Django's reset form, which remembers whether any mail failed (``failed``)."""

    failed = False

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):  # fmt: skip
        subject = loader.render_to_string(subject_template_name, context)
        body = loader.render_to_string(email_template_name, context)
        try:
            send(subject=subject, body=body, to=to_email, what="password reset")
        except MailNotSent:
            self.failed = True


def email_change_token(user, email: str) -> str:
    return signing.dumps({"user": user.pk, "to": email, "from": user.email}, salt=EMAIL_CHANGE_SALT)


def email_change_request(*, user, email: str, confirm_url) -> str:
    """Mail a confirmation link to ``email``, the address ``user`` wants; nothing changes
    until it is opened. ``confirm_url(token)`` makes the link's absolute URL. Returns the
    normalized address; raises ``ValidationError`` (taken, unchanged) or ``MailNotSent``."""
    email = services.normalized_email(email)
    if email.casefold() == (user.email or "").casefold():
        raise ValidationError(services.EMAIL_UNCHANGED, code="email_unchanged")
    services.check_email_free(email, user=user)
    link = confirm_url(email_change_token(user, email))
    hours = limits.EMAIL_CHANGE_LINK_SECONDS // 3600
    body = loader.render_to_string(
        "registration/email_change_email.txt", {"user": user, "link": link, "hours": hours}
    )
    send(subject="Confirm your new email address", body=body, to=email, what="email change")
    return email


def email_change_address(*, user, token: str) -> str:
    """The address a confirmation link stands for, if it is valid for ``user``."""
    try:
        age = limits.EMAIL_CHANGE_LINK_SECONDS
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=age)
    except signing.SignatureExpired:
        raise ValidationError(LINK_EXPIRED, code="expired") from None
    except signing.BadSignature:
        raise ValidationError(LINK_BROKEN, code="broken") from None
    if data.get("user") != user.pk:
        raise ValidationError(LINK_NOT_YOURS, code="not_yours")
    if data.get("from") != user.email:
        raise ValidationError(LINK_USED, code="used")
    return data["to"]


def email_change_confirm(*, user, token: str):
    """Give ``user`` the address the link was mailed to."""
    return services.email_change(user=user, email=email_change_address(user=user, token=token))


_NOWHERE = ("console", "locmem", "dummy", "filebased")


@checks.register(deploy=True)
def check_mail_goes_out(app_configs=None, **kwargs):
    """In production a reset mail printed to the console reaches nobody (and leaves the
    link in the log): say so when EMAIL_HOST is not set."""
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2] if "." in settings.EMAIL_BACKEND else ""
    if backend in _NOWHERE:
        return [
            checks.Warning(
                f"Mail goes to the {backend} backend, so password reset mails reach nobody.",
                hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, "
                "DEFAULT_FROM_EMAIL): README.md, section Email.",
                id="threads.W010",
            )
        ]
    return []
