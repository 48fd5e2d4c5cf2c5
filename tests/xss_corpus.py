"""XSS payloads, and a forum with them in every field a user or an import can fill.

``PAYLOADS`` covers tags, attributes, URL schemes, entity and percent encodings,
Markdown link, image and reference syntax, SVG and MathML, and breaking out of the
contexts the pages put text in (a textarea, a title, an attribute, a comment). Each one
that ran would call ``alert``: the browser test (``tests/browser/test_xss_browser.py``)
fails on any dialog, any ``on*`` attribute and any ``javascript:``/``data:`` URL.
``plant()`` writes them through the services and importers the site itself uses (and
thread URLs, which the form refuses, straight into rows, as an old import might have).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model

from tests.factories import make_moderator, make_user
from threads import services
from threads.importers import registry
from threads.models import Comment, Thread

DATA = Path(__file__).resolve().parent / "data"

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    "<svg><script>alert(4)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(5)>",
    '<math href="javascript:alert(6)">click</math>',
    '<iframe src="javascript:alert(7)"></iframe>',
    '<a href="javascript:alert(8)">link</a>',
    "[click](javascript:alert(9))",
    "[click](JaVaScRiPt:alert(10))",
    "[click](java\tscript:alert(11))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMik8L3NjcmlwdD4=)",
    "![image](javascript:alert(13))",
    '![x" onerror="alert(14)](https://example.com/a.png)',
    '[x](https://example.com/" onmouseover="alert(15))',
    "<details open ontoggle=alert(16)>",
    "<body onload=alert(17)>",
    '"><script>alert(18)</script>',
    "'><img src=x onerror=alert(19)>",
    "&lt;script&gt;alert(20)&lt;/script&gt;",
    "[x](&#106;avascript:alert(21))",
    "[x](javascript&colon;alert(22))",
    '<a href="&#x6A;avascript:alert(23)">x</a>',
    "%3Cscript%3Ealert(24)%3C/script%3E",
    '<object data="javascript:alert(25)"></object>',
    '<embed src="data:text/html,<script>alert(26)</script>">',
    '<svg><a xlink:href="javascript:alert(27)"><text x="20" y="20">x</text></a></svg>',
    "<svg><animate onbegin=alert(28) attributeName=x dur=1s>",
    "<style>@import 'javascript:alert(29)';</style>",
    '<div style="background:url(javascript:alert(30))">styled</div>',
    "<input autofocus onfocus=alert(31)>",
    '<base href="javascript:alert(32)//">',
    '<form action="javascript:alert(33)"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(34)">',
    "<<script>alert(35);//<</script>",
    "<scr<script>ipt>alert(36)</scr</script>ipt>",
    "<IMG SRC=JaVaScRiPt:alert(38)>",
    "javascript:alert(39)",
    '<https://example.com/" onclick="alert(40)>',
    "[x](<javascript:alert(41)>)",
    "[ref][1]\n\n[1]: javascript:alert(42)",
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(43)">x</maction></math>',
    "{{ 7|add:7 }} {% debug %}",
    "</textarea><script>alert(45)</script>",
    "</title><script>alert(46)</script>",
    '<!--<img src="--><img src=x onerror=alert(47)//">',
    '<noscript><p title="</noscript><img src=x onerror=alert(48)>">',
    "`<img src=x onerror=alert(49)>`",
    "```\n<script>alert(50)</script>\n```",
    "\u202e<img src=x onerror=alert(51)>",
    "[x](vbscript:msgbox(52))",
]
URLS = [
    "javascript:alert(101)",
    "JAVASCRIPT:alert(102)",
    " javascript:alert(103)",
    "data:text/html,<script>alert(104)</script>",
    "vbscript:msgbox(105)",
    'https://example.com/" onmouseover="alert(106)',
    "https://example.com/'><script>alert(107)</script>",
    "java\tscript:alert(108)",
]


@dataclass
class Corpus:
    threads: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    authors: list = field(default_factory=list)
    member: object = None
    moderator: object = None


def usernames() -> list[str]:
    """Payloads as usernames, where a URL can carry them: no "/" and no control
    characters (the sign-up form allows neither; these rows bypass it, as a database
    written by something else might)."""
    names = []
    for payload in PAYLOADS:
        name = payload[:150]
        if "/" not in name and name.isprintable() and name not in names:
            names.append(name)
    return names


def plant() -> Corpus:
    """Every payload in every field, through the site's own writes; see the module."""
    corpus = Corpus(member=make_user("alice"), moderator=make_moderator("mia"))
    User = get_user_model()
    corpus.authors = [User.objects.create_user(name, password="pw-for-tests-1")
                      for name in usernames()]  # fmt: skip
    authors = corpus.authors
    main = services.thread_create(
        author=corpus.member, title=PAYLOADS[0], url="https://example.com/",
        body="\n\n".join(PAYLOADS),
    )  # fmt: skip
    # The member's comment, so every payload reply also reaches the member's inbox.
    root = services.comment_create(author=corpus.member, thread=main, body=PAYLOADS[1])
    replies = [
        services.comment_create(author=authors[i % len(authors)], thread=main, parent=root,
                                body=payload)
        for i, payload in enumerate(PAYLOADS)
    ]  # fmt: skip
    corpus.threads.append(main)
    corpus.comments += [root, replies[0]]
    for i, payload in enumerate(PAYLOADS):  # reports, by the member, of each reply
        services.report_create(reporter=corpus.member, comment=replies[i], reason=payload)
    for i, payload in enumerate(PAYLOADS[:6]):  # removals and bans, with payload reasons
        services.comment_remove(moderator=corpus.moderator, comment=replies[-1 - i],
                                reason=payload)  # fmt: skip
        services.user_ban(moderator=corpus.moderator, user=authors[-1 - i], reason=payload)
    for i, payload in enumerate(PAYLOADS):  # titles and URLs, as imports could store them
        corpus.threads.append(Thread.objects.create(
            author=authors[i % len(authors)], title=payload[:300], url=URLS[i % len(URLS)]
        ))  # fmt: skip
    for fmt, text in imports().items():
        for parsed in registry.parse(text, fmt=fmt, name=f"xss.{fmt}", title=None):
            thread = services.thread_import(parsed=parsed).thread
            corpus.threads.append(thread)
            corpus.comments.append(Comment.objects.filter(thread=thread).order_by("pk").first())
    services.user_ban(moderator=corpus.moderator, user=corpus.member, reason=PAYLOADS[2])
    return corpus


# Imports: the sample file of each format with every text field a payload.

_BODY = {("children", "text"), ("comment", "content"), ("post", "body"), ("data", "body"),
         ("data", "selftext"), ("comments", "body"), ("threads", "body")}  # fmt: skip
_AUTHOR = {("", "author"), ("children", "author"), ("creator", "name"), ("data", "author"),
           ("comments", "author"), ("threads", "author")}  # fmt: skip
_TITLE = {("", "title"), ("post", "name"), ("data", "title"), ("threads", "title")}


def _reddit_escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fill(data, fmt: str):
    counter = iter(range(10**6))

    def payload(limit: int) -> str:
        return PAYLOADS[next(counter) % len(PAYLOADS)][:limit]

    def walk(node, parent: str):
        if isinstance(node, list):
            for item in node:
                walk(item, parent)
            return
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            if isinstance(value, str) and (parent, key) in _BODY | _AUTHOR | _TITLE:
                if (parent, key) in _BODY:
                    # Several payloads per body, so every one is in every format.
                    text = "\n\n".join(payload(500) for _ in range(12))
                else:
                    text = payload(150)
                    if (parent, key) in _TITLE and not text.strip():
                        text = "title"
                escaped = fmt == "reddit" and (parent, key) not in _AUTHOR
                node[key] = _reddit_escaped(text) if escaped else text
            else:
                walk(value, key)

    walk(data, "")
    return data


def imports() -> dict[str, str]:
    """Each import format's text, with payloads for bodies, authors and titles."""
    files = {"hackernews": "hn_thread", "lemmy": "lemmy_thread", "reddit": "reddit_thread",
             "forum-json": "forum_thread"}  # fmt: skip
    texts = {
        fmt: json.dumps(_fill(json.loads((DATA / f"{name}.json").read_text()), fmt))
        for fmt, name in files.items()
    }
    lines = ["# " + " ".join(PAYLOADS[:3]).replace("\n", " ")]
    for i, payload in enumerate(PAYLOADS):  # every other one a reply
        lines.append(("  " if i % 2 else "") + payload.replace("\n", " ").replace("\t", " "))
    texts["transcript"] = "\n".join(lines) + "\n"
    return texts
