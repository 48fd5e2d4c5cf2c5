"""Reddit: the JSON a thread's ``.json`` address returns.

An array of two listings: the post (one ``t3`` thing) and its comments (``t1`` things,
each with nested ``replies``, another listing or ``""``). ``more`` placeholders stand
for comments the page did not load: they are skipped and counted. Comment ids are
Reddit's own full names (``t1_abc``), so a newer export of the same thread adds only
what is new. Without ``raw_json=1`` Reddit escapes ``&``, ``<`` and ``>`` in text as
HTML entities; those three are turned back into characters. ``[deleted]`` and
``[removed]`` bodies become deleted or removed comments with no text; a ``[deleted]``
author becomes no name. Reddit reports a comment's ``ups`` as its score (which may be
negative), so up-votes are never below zero.
"""

from __future__ import annotations

from threads.importers import ImportFailed, ParsedComment, ParsedThread, values

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
            continue
        if kind != "t1":
            raise ImportFailed(f"{name}: comments: item of kind {kind!r}; expected t1 or more")
        comment, replies = _comment(thing.get("data"), name, parent)
        parsed.comments.append(comment)
        stack.extend((reply, comment.source_id) for reply in reversed(replies))
    return parsed


def _children(listing, name: str, what: str) -> list:
    listing = values.obj(listing, f"{name}: {what}", "the listing")
    if listing.get("kind") != "Listing":
        raise ImportFailed(f"{name}: {what}: kind must be 'Listing'")
    data = values.obj(listing.get("data"), f"{name}: {what}", "data")
    return values.array(data.get("children"), f"{name}: {what}", "children")


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _post(post: dict, name: str, title: str | None) -> ParsedThread:
    post_id = values.source_id(post.get("id"), f"{name}: the post")
    where = f"{name}: post {post_id!r}"
    body = _unescape(values.body(post.get("selftext"), where, "selftext"))
    author = values.author(post.get("author"), where)
    heading = _unescape(values.text(post.get("title"), where, "title")) or (title or "")
    return ParsedThread(
        source=f"reddit:{post_id}",
        title=values.title(heading, where),
        url="" if post.get("is_self") else values.url(post.get("url"), where),
        body="" if body in (DELETED, REMOVED) else body,
        author_name="" if author == DELETED else author,
        created_at=values.timestamp(post.get("created_utc"), where, "created_utc"),
        score=values.integer(post.get("score"), where, "score"),
        upvotes=max(values.integer(post.get("ups"), where, "ups"), 0),
        downvotes=max(values.integer(post.get("downs"), where, "downs"), 0),
        is_locked=values.flag(post.get("locked"), where, "locked"),
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
    body = _unescape(values.body(data.get("body"), where, "body"))
    author = values.author(data.get("author"), where)
    edited = data.get("edited")
    replies = data.get("replies") or {"kind": "Listing", "data": {"children": []}}
    comment = ParsedComment(
        source_id=source_id,
        parent_source_id=parent,
        body="" if body in (DELETED, REMOVED) else body,
        author_name="" if author == DELETED else author,
        created_at=values.timestamp(data.get("created_utc"), where, "created_utc"),
        edited_at=None if edited is False else values.timestamp(edited, where, "edited"),
        score=values.integer(data.get("score"), where, "score"),
        upvotes=max(values.integer(data.get("ups"), where, "ups"), 0),
        downvotes=max(values.integer(data.get("downs"), where, "downs"), 0),
        is_deleted=body == DELETED,
        is_removed=body == REMOVED,
    )
    return comment, _children(replies, where, "replies")
