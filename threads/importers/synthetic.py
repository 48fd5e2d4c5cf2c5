"""A realistic synthetic thread in forum JSON, for benchmarks and scale tests.

About a quarter of the comments are top-level; a reply picks its parent mostly among the
most recent comments (conversations happen where people are reading), a tenth of replies
go into one big popular subtree, and every 2,000 comments two people argue in a chain 50
replies deep. Texts are mostly plain sentences with some
Markdown and links, as real threads have. Deterministic for a given ``seed``.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from threads.importers import forum_json

_VOCABULARY = (
    "the a of to and in that is it for on with as this was but be have not are they you "
    "at or from by one all we there can more if about what so when would out up some them "
    "think thread point people time really good agree because comment source argument "
    "data history reason question answer fair true read post year example different"
)
WORDS = tuple(_VOCABULARY.split())
CHAIN_DEPTH = 50
CHAIN_EVERY = 2_000  # one 50-deep chain per this many comments
TOP_LEVEL_SHARE = 0.25
HOT_SHARE = 0.10  # replies that go into one big subtree (the benchmark times replies there)
START = datetime(2024, 1, 1, tzinfo=UTC)


def synthetic_thread(*, comments: int, seed: int = 0, source: str | None = None) -> dict:
    """A forum JSON document holding one thread of ``comments`` comments."""
    rnd = random.Random(seed)
    rows: list[dict] = []
    hot: list[str] = []
    chains = {CHAIN_EVERY // 2 + k * CHAIN_EVERY for k in range(comments // CHAIN_EVERY + 1)}
    chain_left = 0
    for number in range(comments):
        if chain_left:
            parent = rows[-1]["id"]
            chain_left -= 1
        elif number in chains and rows:
            parent, chain_left = rows[-1]["id"], CHAIN_DEPTH - 1
        elif not rows or rnd.random() < TOP_LEVEL_SHARE:
            parent = None
        elif hot and rnd.random() < HOT_SHARE:
            parent = rnd.choice(hot)
        else:
            # Favour recent comments: an exponential step back from the newest.
            back = min(int(rnd.expovariate(1 / 30)), len(rows) - 1)
            parent = rows[-1 - back]["id"]
        row = _comment(rnd, number, parent)
        if number == 1 or (parent is not None and parent in hot[:1] + hot[-200:]):
            hot.append(row["id"])
        rows.append(row)
    thread = {
        "source": source or f"synthetic:{seed}:{comments}",
        "title": f"Synthetic thread of {comments:,} comments",
        "url": "",
        "body": "A generated discussion for measuring imports.",
        "author": "generator",
        "created": _time(START),
        "score": rnd.randint(0, 5000),
        "upvotes": 0,
        "downvotes": 0,
        "locked": False,
        "comments": rows,
    }
    return {"format": forum_json.FORMAT_NAME, "version": forum_json.VERSION, "threads": [thread]}


def synthetic_parsed_thread(*, comments: int, seed: int = 0, source: str | None = None):
    """The same thread as parsed records, for tests that skip the JSON text."""
    data = synthetic_thread(comments=comments, seed=seed, source=source)
    return forum_json.parse_data(data, name="synthetic")[0]


def write_synthetic_thread(path, *, comments: int, seed: int = 0, source=None) -> None:
    data = synthetic_thread(comments=comments, seed=seed, source=source)
    path.write_text(forum_json.dumps(data), "utf-8")


def _comment(rnd: random.Random, number: int, parent: str | None) -> dict:
    upvotes = int(rnd.paretovariate(1.2)) - 1
    downvotes = rnd.randint(0, 3)
    deleted = rnd.random() < 0.01
    return {
        "id": f"s{number}",
        "parent": parent,
        "author": f"user{rnd.randint(1, 5000)}",
        "created": _time(START + timedelta(seconds=number * 7 + rnd.randint(0, 6))),
        "edited": None,
        "body": "" if deleted else _text(rnd),
        "score": upvotes - downvotes,
        "upvotes": upvotes,
        "downvotes": downvotes,
        "deleted": deleted,
        "removed": not deleted and rnd.random() < 0.005,
    }


def _text(rnd: random.Random) -> str:
    sentences = []
    for _ in range(rnd.randint(1, 5)):
        words = rnd.choices(WORDS, k=rnd.randint(4, 20))
        sentences.append(" ".join(words).capitalize() + rnd.choice(".....?!"))
    text = " ".join(sentences)
    roll = rnd.random()
    if roll < 0.05:
        text += "\n\n> quoted from above\n\nand *emphasis* here."
    elif roll < 0.06:
        text += " <b>This & that</b> stay text."
    elif roll < 0.08:
        text += " See https://example.com/page for more."
    return text


def _time(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
