"""Clear a login lockout: an address refused after failed logins, and its growing level,
and/or a username's slow-down, in the shared cache (make unlock-login ADDRESS=... or
USERNAME=...). axes' own ``axes_reset_ip`` clears the count alone; this also forgets
how many times the address was locked, so its next cool-off starts short again.
"""

import ipaddress

from django.core.management.base import BaseCommand, CommandError

from threads import login_protection


class Command(BaseCommand):
    help = "Clear the login lockout of an address and/or the slow-down of a username."

    def add_arguments(self, parser):
        parser.add_argument("--address", help="A client address (IPv4 or IPv6).")
        parser.add_argument("--username", help="A username (need not exist).")

    def handle(self, *args, address, username, verbosity, **options):
        if not address and not username:
            raise CommandError("Say what to clear: --address 203.0.113.7 and/or --username alice")
        if address:
            try:
                address = str(ipaddress.ip_address(address.strip()))
            except ValueError:
                raise CommandError(f"{address!r} is not an IP address.") from None
        cleared = login_protection.reset(ip=address, username=username)
        if verbosity:
            what = " and ".join(
                part
                for part in (address and f"address {address}", username and f"username {username}")
                if part
            )
            style = self.style.SUCCESS if cleared else self.style.NOTICE
            self.stdout.write(style(f"Cleared {cleared} lockout record(s) for {what}."))
