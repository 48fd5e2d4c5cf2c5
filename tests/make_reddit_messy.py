"""Writes tests/data/reddit_messy.json: a Reddit thread as messy as real exports are.

Hundreds of comments shaped like what a thread's ``.json`` address returns without
``raw_json=1``: ``more`` placeholders at several depths (with counts, and "continue this
thread" stubs with ``count: 0`` and no children past depth 9), ``[deleted]`` authors,
``[deleted]`` and ``[removed]`` bodies, ``edited`` as ``true``, ``false``, a float time
or missing, ``distinguished`` moderators, admins and Reddit's rarer "special", a pinned
moderator comment, ``score_hidden``, HTML entities in text and links, unicode names and
text, ``replies`` as ``""``, an empty listing or missing, and optional keys left out.
Deterministic: ``python -m tests.make_reddit_messy`` writes the same file every time, and
``tests/test_import_formats.py`` checks the file is what this makes.
"""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

PATH = Path(__file__).resolve().parent / "data" / "reddit_messy.json"
SEED = 20240501
POST = "1messy"
START = 1_714_560_000  # 2024-05-01 10:40 UTC
TOP_LEVEL = 60
CONTINUE_DEPTH = 9  # Reddit stops nesting here and links to "continue this thread"
NAMES = ("historian", "zoë_ü", "日本語ユーザー", "Ωmega_42", "skeptic", "lurker_", "o'brien",
         "<b>not_bold</b>", "Ελένη", "🦀crab")  # fmt: skip
BODIES = (
    "Plain words, nothing else.",
    "Tom &amp; Jerry &lt;3 and x &gt; y",
    "&amp;#x200B;\n\nA zero-width space above, as Reddit's editor writes it.",
    "**bold**, *italic*, `code` and ~~struck~~",
    "Ünïcödé: 日本語, Ελληνικά, emoji 🎉",
    "&gt; quoted from above\n\nand my reply",
    "A [link](https://example.com/?a=1&amp;b=2) with an escaped ampersand",
    "&lt;script&gt;alert(1)&lt;/script&gt; stays text",
    "Non-breaking&amp;nbsp;space and &amp;amp; twice escaped",
    "* a list\n* of things\n\n1. and\n2. numbers",
)


def messy_thread() -> list:
    """The document: Reddit's two listings, the post and its comments."""
    rnd = random.Random(SEED)
    numbers = itertools.count(1)
    comments = [
        _comment(rnd, numbers, f"t3_{POST}", 0, chain=n % 15 == 2) for n in range(TOP_LEVEL)
    ]  # every 15th from the third reaches the depth where Reddit says "continue this thread"
    first = comments[0]["data"]  # a pinned moderator note, as subreddits pin rules
    first.update(author="ModTeam_ü", distinguished="moderator", stickied=True, edited=False)
    first["body"] = "Rules: be civil &amp; cite sources. Comments &lt;3 words are removed."
    # Over 10,000 characters escaped, 8,088 as written: Reddit's limit counts the latter.
    comments[1]["data"]["body"] = ("Fish &amp; chips. " * 600)[:10_400]
    comments.append(_more(rnd, f"t3_{POST}", 0, count=250, children=100))
    post = {
        "kind": "t3",
        "data": {
            "id": POST, "name": f"t3_{POST}", "subreddit": "AskHistorians",
            "title": "Messy &amp; real: what did &lt;you&gt; find in the archives?",
            "selftext": "", "is_self": False,
            "url": "https://example.com/article?id=7&amp;page=2",
            "author": "ModTeam_ü", "distinguished": "moderator", "stickied": True,
            "created_utc": float(START), "score": 5120, "ups": 5120, "downs": 0,
            "upvote_ratio": 0.97, "num_comments": 1400, "locked": False, "over_18": False,
        },
    }  # fmt: skip
    return [_listing([post]), _listing(comments)]


def _listing(children: list) -> dict:
    return {"kind": "Listing", "data": {"after": None, "before": None, "children": children,
                                        "dist": None, "modhash": ""}}  # fmt: skip


def _comment(rnd: random.Random, numbers, parent: str, depth: int, chain=False) -> dict:
    number = next(numbers)
    cid = f"k{number:04d}"
    score = rnd.randint(-20, 300) if rnd.random() < 0.9 else rnd.randint(300, 40_000)
    data = {
        "id": cid, "name": f"t1_{cid}", "parent_id": parent, "link_id": f"t3_{POST}",
        "author": rnd.choice(NAMES), "body": rnd.choice(BODIES), "depth": depth,
        "created_utc": float(START + number * 37), "score": score, "ups": score, "downs": 0,
        "controversiality": rnd.choice((0, 0, 0, 1)), "gilded": 0, "all_awardings": [],
        "edited": False, "distinguished": None, "stickied": False, "score_hidden": False,
    }  # fmt: skip
    _mess_up(rnd, data, number)
    kids = _kids(rnd, numbers, data["name"], depth, chain)
    roll = rnd.random()
    if kids:
        data["replies"] = _listing(kids)
    elif roll < 0.7:
        data["replies"] = ""
    elif roll < 0.85:
        data["replies"] = _listing([])
    # else: no "replies" key at all
    return {"kind": "t1", "data": data}


def _mess_up(rnd: random.Random, data: dict, number: int) -> None:
    """What real comments vary in: gone authors and texts, edits, voices, missing keys."""
    roll = rnd.random()
    if roll < 0.05:
        data.update(author="[deleted]", body="[deleted]")
    elif roll < 0.08:
        data.update(author="[deleted]", body="[removed]")
    elif roll < 0.11:
        data["author"] = "[deleted]"  # the account is gone; the text stays
    roll = rnd.random()
    if roll < 0.12:
        data["edited"] = True  # edited long ago: Reddit no longer says when
    elif roll < 0.24:
        data["edited"] = float(START + number * 37 + 600) + 0.5
    elif roll < 0.29:
        del data["edited"]
    roll = rnd.random()
    if roll < 0.03:
        data["distinguished"] = "moderator"
    elif roll < 0.045:
        data["distinguished"] = "admin"
    elif roll < 0.055:
        data["distinguished"] = "special"  # a voice this forum does not show
    elif roll < 0.1:
        del data["distinguished"]
    if rnd.random() < 0.06:
        data.update(score_hidden=True, score=1, ups=1)
    if rnd.random() < 0.08:
        del data["ups"], data["downs"], data["stickied"], data["score_hidden"]


def _kids(rnd: random.Random, numbers, parent: str, depth: int, chain: bool) -> list:
    if depth + 1 >= CONTINUE_DEPTH:
        if chain or rnd.random() < 0.5:  # deeper replies exist; Reddit says only "continue"
            return [_more(rnd, parent, depth + 1, count=0, children=0)]
        return []
    wanted = rnd.choice((0, 0, 1, 1, 2, 3)) if depth < 3 else rnd.choice((0, 0, 0, 1, 1, 2))
    kids = [
        _comment(rnd, numbers, parent, depth + 1, chain=chain and n == 0)
        for n in range(max(wanted, chain))
    ]
    if kids and rnd.random() < 0.15:
        count = rnd.randint(1, 40)
        kids.append(_more(rnd, parent, depth + 1, count=count, children=min(count, 8)))
    return kids


def _more(rnd: random.Random, parent: str, depth: int, *, count: int, children: int) -> dict:
    ids = [f"x{rnd.randrange(36**5):07d}" for _ in range(children)]
    first = ids[0] if ids else "_"
    data = {"count": count, "name": f"t1_{first}", "id": first, "parent_id": parent,
            "depth": depth, "children": ids}  # fmt: skip
    return {"kind": "more", "data": data}


def write(path: Path = PATH) -> None:
    path.write_text(json.dumps(messy_thread()) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write()
