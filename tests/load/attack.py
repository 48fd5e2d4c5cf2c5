"""``make attack``: the issue's findings replayed against the site in production mode.

Starts gunicorn (DEBUG off, 2 workers) on 127.0.0.1:8182 with a SQLite database and
collected static files in a scratch folder, and counters in Redis db 5 under a key
prefix of this run's own (REDIS_URL overrides; the keys are deleted after, never the
database). One trusted proxy is configured, so the script can speak from several client
addresses through X-Forwarded-For. Then, within a time bound:

1. 200 wrong passwords for one account from one address: locked after the configured
   count; the right password is refused from there during the cool-off (3 s here), works
   at once from the owner's own address, and from the attacked address after the cool-off.
2. 50 sign-ups from one address: all but the allowed number refused, and only those
   accounts exist.
3. 200 comments from one member as fast as possible: refused after the configured count;
   the comments stored and the thread's counter agree (nothing half-written).
4. A fixed corpus of malformed requests (as a superuser, so no limit hides an error):
   no answer may be a 5xx.

Prints one table and exits non-zero when a check fails.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HOST, PORT = "127.0.0.1", int(os.environ.get("ATTACK_PORT", "8182"))
REDIS_URL = os.environ.get("ATTACK_REDIS_URL", "redis://127.0.0.1:6379/5")
COOLOFF = 3  # seconds: the login cool-off, short for the script
TIME_BOUND = 300  # seconds for the whole run
PASSWORD = "Attack-run-pass-7291"
ATTACKER, OWNER, SIGNUPS, FLOODER, PROBER = (
    "198.51.100.66", "203.0.113.7", "198.51.100.77", "198.51.100.88", "198.51.100.99",
)  # fmt: skip


class Session:
    """One browser at one client address: cookies, the CSRF token, no redirects followed."""

    def __init__(self, address: str):
        self.address, self.cookies, self.token = address, {}, ""

    def request(self, method, path, data=None, *, headers=None, body=None, address=None):
        connection = http.client.HTTPConnection(HOST, PORT, timeout=60)  # 2 busy cores
        sent = {
            "X-Forwarded-For": address or self.address,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        if data is not None:
            body = urlencode({"csrfmiddlewaretoken": self.token, **data}).encode()
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
        if body is not None:
            sent.setdefault("X-CSRFToken", self.token)
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        response.text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response

    def open(self, path: str):
        page = self.request("GET", path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if found:
            self.token = found.group(1)
        return page

    def log_in(self, username: str, password: str = PASSWORD):
        self.open("/accounts/login/")
        answer = self.request(
            "POST", "/accounts/login/", {"username": username, "password": password}
        )
        if answer.status == 302:
            self.open("/")  # the token rotates at login
        return answer


def environment(workdir: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "forum.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_hex(32),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain http on the loopback
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DATABASE_URL": f"sqlite:///{workdir / 'attack.sqlite3'}",
        "REDIS_URL": REDIS_URL,
        "DJANGO_CACHE_PREFIX": f"attack-{secrets.token_hex(6)}",
        "DJANGO_TRUSTED_PROXIES": "1",
        "DJANGO_LOGIN_COOLOFF_SECONDS": str(COOLOFF),
    }


SEED = """
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.conf import settings
from threads.models import Thread
User = get_user_model()
old = timezone.now() - timedelta(days=2)
for name in ("owner", "flooder"):
    User.objects.create_user(name, password=PASSWORD, date_joined=old)
User.objects.create_superuser("prober", "prober@example.com", PASSWORD)
thread = Thread.objects.create(title="Attack target", author=User.objects.get(username="owner"))
print(json.dumps({"thread": thread.pk, "limits": settings.RATE_LIMITS,
                  "login_limit": settings.LOGIN_FAILURE_LIMIT}))
"""

COUNT = """
from django.contrib.auth import get_user_model
from threads.models import Comment, Thread
thread = Thread.objects.get(pk=THREAD)
print(json.dumps({
    "signups": get_user_model().objects.filter(username__startswith="signup").count(),
    "flooded": Comment.objects.filter(thread=thread, author__username="flooder").count(),
    "comments": Comment.objects.filter(thread=thread).count(),
    "counter": thread.comment_count,
}))
"""


def django(env: dict, code: str) -> dict:
    script = f"import json\nPASSWORD = {PASSWORD!r}\n{code}"
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT,
                            env=env, capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def prepare(env: dict) -> None:
    for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)


def start(env: dict, log: Path) -> subprocess.Popen:
    command = [str(BIN / "gunicorn"), "forum.wsgi", "--bind", f"{HOST}:{PORT}", "--workers", "2",
               "--graceful-timeout", "5", "--access-logfile", "-"]  # fmt: skip
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True,
                                  stdout=output, stderr=subprocess.STDOUT)  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        try:
            Session(OWNER).request("GET", "/")
            return server
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start:\n{log.read_text()[-2000:]}") from None
            time.sleep(0.2)


def first_refusal(statuses: list[int]) -> int | None:
    return next((i + 1 for i, s in enumerate(statuses) if s == 429), None)


def within_limit(statuses: list[int], through: int, limit: int) -> bool:
    """The first ``limit`` got through and the next was refused; later, at most one more
    window's worth (the counting windows are fixed, and one may end during the run)."""
    first = statuses[: limit + 1]
    return first == [through] * limit + [429] and statuses.count(through) <= 2 * limit


def attack_logins(limit: int) -> list[tuple]:
    attacker = Session(ATTACKER)
    attacker.open("/accounts/login/")
    guesses = ({"username": "owner", "password": f"guess{i}"} for i in range(200))
    statuses = [attacker.request("POST", "/accounts/login/", guess).status for guess in guesses]
    during = attacker.log_in("owner")
    owner = Session(OWNER).log_in("owner")
    wait = int(during.getheader("Retry-After") or COOLOFF)
    time.sleep(wait + 0.5)
    after = Session(ATTACKER).log_in("owner")
    first = first_refusal(statuses)
    return [
        ("200 wrong passwords, one address", 200, statuses.count(200), statuses.count(429),
         f"refused from #{first} (limit {limit})",
         first == limit and set(statuses[limit - 1:]) == {429}),
        ("right password, attacked address, locked", 1, int(during.status == 302),
         int(during.status == 429), f"429, Retry-After {wait} s", during.status == 429),
        ("right password, owner's address, at once", 1, int(owner.status == 302),
         int(owner.status == 429), f"{owner.status}", owner.status == 302),
        (f"right password, attacked address, {wait} s later", 1, int(after.status == 302),
         int(after.status == 429), f"{after.status}", after.status == 302),
    ]  # fmt: skip


def attack_signups() -> list[int]:
    statuses = []
    for i in range(50):
        visitor = Session(SIGNUPS)
        visitor.open("/accounts/signup/")
        form = {"username": f"signup{i}", "password1": PASSWORD, "password2": PASSWORD}
        statuses.append(visitor.request("POST", "/accounts/signup/", form).status)
    return statuses


def attack_comments(thread: int) -> list[int]:
    flooder = Session(FLOODER)
    flooder.log_in("flooder")
    headers = {"X-Requested-With": "fetch"}
    url = f"/thread/{thread}/reply/"
    bodies = ({"body": f"flood {i}"} for i in range(200))
    return [flooder.request("POST", url, body, headers=headers).status for body in bodies]


def malformed_corpus(thread: int) -> list[tuple[str, str, dict | None, dict, bytes | None]]:
    """(method, path, form, headers, raw body): what a fuzzer found first, kept fixed."""
    big = str(10**30)
    form_utf16 = "body=hello&parent=".encode("utf-16")
    return [
        ("GET", "/u/%00/", None, {}, None),
        ("GET", "/u/%01%1b%7f/", None, {}, None),
        ("GET", f"/t/{big}/", None, {}, None),
        ("GET", f"/c/{big}/", None, {}, None),
        ("GET", f"/t/{thread}/x/?sort=%00&page={big}", None, {}, None),
        ("GET", "/?sort=%ff%fe&page=-1", None, {}, None),
        ("GET", "/?page=%D9%A1%D9%A2", None, {}, None),
        ("GET", f"/thread/{thread}/more/?after={big}&offset=-1&depth=x", None, {}, None),
        ("GET", f"/thread/{thread}/feed/?%00=%00", None, {}, None),
        ("POST", f"/thread/{thread}/reply/", {"body": "x", "parent": "abc"}, {}, None),
        ("POST", f"/thread/{thread}/reply/", {"body": "x", "parent": "-1"}, {}, None),
        ("POST", f"/thread/{thread}/reply/", {"body": "x", "parent": big}, {}, None),
        ("POST", f"/thread/{thread}/reply/", {"body": "x", "parent": "١٢"}, {}, None),
        ("POST", f"/thread/{thread}/reply/", {"body": "nul \x00 byte"}, {}, None),
        ("POST", f"/thread/{thread}/reply/", None,
         {"Content-Type": "application/x-www-form-urlencoded; charset=utf-16"}, form_utf16),
        ("POST", f"/thread/{thread}/reply/", None,
         {"Content-Type": "application/x-www-form-urlencoded; charset=nonsense"}, b"body=x"),
        ("POST", f"/thread/{thread}/reply/", None,
         {"Content-Type": "application/x-www-form-urlencoded"}, b"body=" + b"x" * 3_000_000),
        ("POST", f"/thread/{thread}/vote/", {"value": big}, {}, None),
        ("POST", f"/thread/{thread}/vote/", {"value": "up"}, {}, None),
        ("POST", "/submit/", {"title": "\x00", "url": "javascript:alert(1)"}, {}, None),
        ("POST", "/submit/", {"title": "t", "url": "http://[::1"}, {}, None),
        ("POST", "/accounts/login/", {"username": "a\x00b", "password": "x"}, {}, None),
        ("POST", "/accounts/signup/", {"username": "\x00", "password1": "x"}, {}, None),
        ("POST", "/accounts/password_reset/", {"email": "\x00@example.com"}, {}, None),
        ("GET", "/admin/threads/comment/?thread=abc", None, {}, None),
        ("GET", f"/admin/threads/comment/?thread={big}", None, {}, None),
        ("GET", "/admin/threads/thread/?o=99.x&p=-5", None, {}, None),
        ("POST", "/admin/threads/comment/",
         {"action": "delete_selected", "_selected_action": "abc"}, {}, None),
        ("POST", "/admin/threads/comment/", {"action": "nope", "_selected_action": big}, {}, None),
        ("GET", "/", None, {"Host": "evil.example"}, None),
        ("GET", "/", None, {"Cookie": "sessionid=%00; csrftoken=%7F"}, None),
    ]  # fmt: skip


def attack_malformed(thread: int) -> tuple[int, list[str]]:
    prober = Session(PROBER)
    prober.log_in("prober")
    errors = []
    corpus = malformed_corpus(thread)
    for i, (method, path, form, headers, body) in enumerate(corpus):
        address = f"192.0.2.{i + 1}"  # one address each: no per-address limit answers for it
        cookies = headers.pop("Cookie", None)
        saved = dict(prober.cookies)
        if cookies:
            prober.cookies = {}
            headers["Cookie"] = cookies
        progress(f"  sending {method} {path[:70]!r}")
        try:
            answer = prober.request(method, path, form, headers=headers, body=body, address=address)
            status = answer.status
        except (OSError, http.client.HTTPException) as error:
            status = f"no answer ({error.__class__.__name__})"
        prober.cookies = saved
        if not isinstance(status, int) or status >= 500:
            sent = form or headers.get("Content-Type", "") or ""
            errors.append(f"{method} {path[:60]!r} {str(sent)[:80]}: {status}")
    return len(corpus), errors


def table(rows: list[tuple]) -> str:
    head = ("attack", "requests", "through", "refused 429", "detail", "check")
    lines = [head] + [(*map(str, row[:5]), "PASS" if row[5] else "FAIL") for row in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = [" | ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)) for line in lines]
    out.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(out)


def main() -> int:
    started = time.monotonic()
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.alarm(TIME_BOUND)
    with tempfile.TemporaryDirectory(prefix="forum-attack-") as workdir:
        env = environment(Path(workdir))
        prepare(env)
        seeded = django(env, SEED)
        log = Path(workdir) / "gunicorn.log"
        server = start(env, log)
        try:
            limits = seeded["limits"]
            rows = attack_logins(seeded["login_limit"])
            progress("logins done")
            signups = attack_signups()
            progress("signups done")
            allowed = int(limits["signup"][0].split("/")[0])
            comments = attack_comments(seeded["thread"])
            progress("comments done")
            comment_limit = int(limits["comment"][0].split("/")[0])
            sent, errors = attack_malformed(seeded["thread"])
        except BaseException:
            say(f"gunicorn's log ends:\n{log.read_text()[-3000:]}")
            raise
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            _forget_keys(env)
        stored = django(env, COUNT.replace("THREAD", str(seeded["thread"])))
    created = comments.count(201)
    rows += [
        ("50 sign-ups, one address", 50, signups.count(302), signups.count(429),
         f"{stored['signups']} accounts made (limit {limits['signup'][0]})",
         within_limit(signups, 302, allowed) and stored["signups"] == signups.count(302)),
        ("200-comment flood, one member", 200, created, comments.count(429),
         f"refused from #{first_refusal(comments)}; stored {stored['flooded']}; thread "
         f"{stored['comments']} = counter {stored['counter']} (limit {limits['comment'][0]})",
         within_limit(comments, 201, comment_limit) and stored["flooded"] == created
         and stored["comments"] == stored["counter"]),
        ("malformed requests", sent, sent - len(errors), "-", f"{len(errors)} answered 5xx",
         not errors),
    ]  # fmt: skip
    signal.alarm(0)
    say(table(rows))
    for error in errors:
        say(f"  5xx: {error}")
    say(f"gunicorn, production settings, 2 workers, {HOST}:{PORT}; "
          f"{time.monotonic() - started:.0f} s")  # fmt: skip
    return 0 if all(row[5] for row in rows) else 1


def progress(line: str) -> None:
    if os.environ.get("ATTACK_VERBOSE"):
        say(line)


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


def _out_of_time(*_):
    raise TimeoutError(f"make attack took more than {TIME_BOUND} s")


def _forget_keys(env: dict) -> None:
    import redis

    client = redis.Redis.from_url(env["REDIS_URL"])
    keys = list(client.scan_iter(f"{env['DJANGO_CACHE_PREFIX']}:*"))
    if keys:
        client.delete(*keys)


if __name__ == "__main__":
    sys.exit(main())
