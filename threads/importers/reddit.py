"""Reddit: the JSON a thread's ``.json`` address returns.

An array of two listings: the post (one ``t3`` thing) and its comments (``t1`` things,
each with nested ``replies``, another listing or ``""``). ``more`` placeholders stand
for comments the page did not load: they are skipped, and the comments they stood for
are counted into the thread's ``missing_count`` (a placeholder's ``count``; a "continue
this thread" stub says ``count: 0`` with no children, yet hides at least one reply, so
it counts as one). Comment ids are Reddit's own full names (``t1_abc``), so a newer
export of the same thread adds only what is new. Without ``raw_json=1`` Reddit escapes
``&``, ``<`` and ``>`` in text as HTML entities; those three are turned back into
characters. ``[deleted]`` and ``[removed]`` bodies become deleted or removed comments
with no text; a ``[deleted]`` author becomes no name. Reddit reports a comment's ``ups``
as its score (which may be negative), so up-votes are never below zero.

``edited`` is ``false``, a Unix time, or (for edits long ago) just ``true``: edited at
an unknown time. ``distinguished`` ("moderator", "admin"; any other value is dropped),
``stickied`` and ``score_hidden`` are kept. Optional keys may be missing.
"""

from __future__ import annotations

from threads.importers import ImportFailed, ParsedComment, ParsedThread, values
from threads.models import Distinguished

DELETED = "[deleted]"
REMOVED = "[removed]"


def parse_data(data, *, name: str, title: str | None = None) -> ParsedThread:
    listings = values.array(data, name, "the file")
    if len(listings) != 2:
        raise ImportFailed(
            f"{name}: expected the two listings a Reddit thread's .json address returns "
            f"(the post, then the comments), found {len(listings)}"
        )
    posts = _children(listings[0], name, "the first listing (the post)")
    if len(posts) != 1 or not isinstance(posts[0], dict) or posts[0].get("kind") != "t3":
        raise ImportFailed(f"{name}: the first listing must hold exactly one post (kind t3)")
    parsed = _post(values.obj(posts[0].get("data"), f"{name}: the post", "data"), name, title)
    stack = [(thing, None) for thing in reversed(_children(listings[1], name, "the comments"))]
    while stack:
        thing, parent = stack.pop()
        thing = values.obj(thing, f"{name}: comments", "each item")
        kind = thing.get("kind")
        if kind == "more":
            parsed.skipped += 1
            parsed.missing_count += _more_count(thing.get("data"), name)
            continue
        if kind != "t1":
            raise ImportFailed(f"{name}: comments: item of kind {kind!r}; expected t1 or more")
        comment, replies = _comment(thing.get("data"), name, parent)
        parsed.comments.append(comment)
        stack.extend((reply, comment.source_id) for reply in reversed(replies))
    parsed.missing_count = min(parsed.missing_count, values.INT_MAX)
    return parsed


def _children(listing, name: str, what: str) -> list:
    listing = values.obj(listing, f"{name}: {what}", "the listing")
    if listing.get("kind") != "Listing":
        raise ImportFailed(f"{name}: {what}: kind must be 'Listing'")
    data = values.obj(listing.get("data"), f"{name}: {what}", "data")
    return values.array(data.get("children"), f"{name}: {what}", "children")


def _more_count(data, name: str) -> int:
    """How many comments a ``more`` placeholder stands for; at least one."""
    data = values.obj(data, f"{name}: comments", "a 'more' placeholder's data")
    where = f"{name}: 'more' placeholder {str(data.get('name') or data.get('id'))[:40]!r}"
    children = values.array(data.get("children") or [], where, "children")
    return max(values.count(data.get("count"), where, "count"), len(children), 1)


def _distinguished(value) -> str:
    """Reddit's ``distinguished``: the voices this forum shows; any other value is dropped."""
    return value if value in Distinguished.values else ""


def _unescaped(value, where: str, what: str) -> str:
    """Text with Reddit's escapes undone; limits apply to the text as written, not escaped."""
    text = values.text(value, where, what)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _post(post: dict, name: str, title: str | None) -> ParsedThread:
    post_id = values.source_id(post.get("id"), f"{name}: the post")
    where = f"{name}: post {post_id!r}"
    body = values.body(_unescaped(post.get("selftext"), where, "selftext"), where, "selftext")
    author = values.author(post.get("author"), where)
    heading = _unescaped(post.get("title"), where, "title") or (title or "")
    return ParsedThread(
        source=f"reddit:{post_id}",
        title=values.title(heading, where),
        url=""
        if post.get("is_self")
        else values.url(_unescaped(post.get("url"), where, "url"), where),
        body="" if body in (DELETED, REMOVED) else body,
        author_name="" if author == DELETED else author,
        created_at=values.timestamp(post.get("created_utc"), where, "created_utc"),
        score=values.integer(post.get("score"), where, "score"),
        upvotes=max(values.integer(post.get("ups"), where, "ups"), 0),
        downvotes=max(values.integer(post.get("downs"), where, "downs"), 0),
        is_locked=values.flag(post.get("locked"), where, "locked"),
        distinguished=_distinguished(post.get("distinguished")),
        is_stickied=values.flag(post.get("stickied"), where, "stickied"),
    )


def _comment(data, name: str, parent: str | None) -> tuple[ParsedComment, list]:
    data = values.obj(data, f"{name}: comments", "each comment's data")
    raw_id = data.get("name") or (f"t1_{data['id']}" if isinstance(data.get("id"), str) else None)
    source_id = values.source_id(raw_id, f"{name}: comments", "a comment's name")
    where = f"{name}: comment {source_id!r}"
    parent_ref = values.text(data.get("parent_id"), where, "parent_id")
    if parent_ref.startswith("t1_"):
        parent = parent_ref
    elif parent_ref.startswith("t3_"):
        parent = None
    body = values.body(_unescaped(data.get("body"), where, "body"), where, "body")
    author = values.author(data.get("author"), where)
    edited_at, edited_time_unknown = values.edited(data.get("edited"), where)
    replies = data.get("replies") or {"kind": "Listing", "data": {"children": []}}
    comment = ParsedComment(
        source_id=source_id,
        parent_source_id=parent,
        body="" if body in (DELETED, REMOVED) else body,
        author_name="" if author == DELETED else author,
        created_at=values.timestamp(data.get("created_utc"), where, "created_utc"),
        edited_at=edited_at,
        edited_time_unknown=edited_time_unknown,
        score=values.integer(data.get("score"), where, "score"),
        upvotes=max(values.integer(data.get("ups"), where, "ups"), 0),
        downvotes=max(values.integer(data.get("downs"), where, "downs"), 0),
        is_deleted=body == DELETED,
        is_removed=body == REMOVED,
        distinguished=_distinguished(data.get("distinguished")),
        is_stickied=values.flag(data.get("stickied"), where, "stickied"),
        is_score_hidden=values.flag(data.get("score_hidden"), where, "score_hidden"),
    )
    return comment, _children(replies, where, "replies")
