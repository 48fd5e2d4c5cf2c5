"""Lemmy: a JSON object with the post and its comments, as the v3 API returns them.

``post_view`` is what ``GET /api/v3/post`` returns under that key; ``comments`` is the
list ``GET /api/v3/comment/list`` returns. A comment's place in the tree is its
``path`` (``0.12.57``: comment 57 replies to 12, which is top-level); counts come from
``counts``, authors from ``creator.name``, state from ``deleted``/``removed``. A
deleted comment keeps no text. The thread's key is ``lemmy:<post id>@<instance>``
(the instance read from the post's ``ap_id``), as ids are only unique per instance.

A comment list fetched with a depth limit leaves out deeper replies; each comment's
``counts.child_count`` (its replies at any depth) says how many, and what the file
lacks of them is counted into the thread's ``missing_count``. A comment's
``distinguished`` is a moderator's voice; a post featured in its community or instance
is pinned.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from threads.importers import ImportFailed, ParsedComment, ParsedThread, values


def parse_data(data, *, name: str, title: str | None = None) -> ParsedThread:
    root = values.obj(data, name, "the file")
    view = values.obj(root.get("post_view"), name, '"post_view"')
    post = values.obj(view.get("post"), f"{name}: post_view", '"post"')
    post_id = values.source_id(post.get("id"), f"{name}: post_view.post")
    where = f"{name}: post {post_id!r}"
    ap_id = values.text(post.get("ap_id"), where, "ap_id")
    instance = urlsplit(ap_id).hostname if ap_id else None
    creator = values.obj(view.get("creator") or {}, where, "creator")
    deleted = values.flag(post.get("deleted"), where, "deleted")
    body = values.body(post.get("body"), where, "body")
    parsed = ParsedThread(
        source=f"lemmy:{post_id}@{instance}" if instance else f"lemmy:{post_id}",
        title=values.title(post.get("name") or title, where, "name"),
        url=values.url(post.get("url"), where),
        body="" if deleted else body,
        author_name=values.author(creator.get("name"), where, "creator.name"),
        created_at=values.timestamp(post.get("published"), where, "published"),
        **_tallies(view, where),
        is_locked=values.flag(post.get("locked"), where, "locked"),
        is_stickied=values.flag(post.get("featured_community"), where, "featured_community")
        or values.flag(post.get("featured_local"), where, "featured_local"),
    )
    items = values.array(root.get("comments", []), name, '"comments"')
    told: dict[str, tuple[int, list[str]]] = {}  # child_count and ancestors, where given
    held: dict[str, int] = {}  # replies the file holds under each comment, at any depth
    for number, item in enumerate(items, 1):
        comment, child_count, ancestors = _comment(item, name, number)
        parsed.comments.append(comment)
        if child_count is not None:
            told[comment.source_id] = (child_count, ancestors)
        for ancestor in ancestors:
            held[ancestor] = held.get(ancestor, 0) + 1
    parsed.missing_count = min(_missing(told, held), values.INT_MAX)
    return parsed


def _missing(told: dict[str, tuple[int, list[str]]], held: dict[str, int]) -> int:
    """Replies the file lacks: for each comment with a ``child_count`` and no ancestor
    with one, what it claims less what the file holds under it. The highest claim covers
    everything below it, so nothing is counted twice."""
    return sum(
        max(0, child_count - held.get(key, 0))
        for key, (child_count, ancestors) in told.items()
        if not any(ancestor in told for ancestor in ancestors)
    )


def _tallies(view, where: str) -> dict[str, int]:
    """Score and vote counts, which Lemmy gives posts and comments in the same ``counts``."""
    counts = values.obj(view.get("counts") or {}, where, "counts")
    return {
        "score": values.integer(counts.get("score"), where, "counts.score"),
        "upvotes": values.count(counts.get("upvotes"), where, "counts.upvotes"),
        "downvotes": values.count(counts.get("downvotes"), where, "counts.downvotes"),
    }


def _comment(view, name: str, number: int) -> tuple[ParsedComment, int | None, list[str]]:
    """The comment, its ``child_count`` when the file gives one, and its ancestors' ids."""
    view = values.obj(view, f"{name}: comments item {number}", "each comment view")
    comment = values.obj(view.get("comment"), f"{name}: comments item {number}", '"comment"')
    source_id = values.source_id(comment.get("id"), f"{name}: comments item {number}")
    where = f"{name}: comment {source_id!r}"
    path = values.text(comment.get("path"), where, "path", null_ok=False)
    steps = path.split(".")
    if len(steps) < 2 or steps[0] != "0" or steps[-1] != source_id or "" in steps:
        raise ImportFailed(
            f"{where}: path {path[:60]!r} must run from 0 to the comment's own id "
            f"(like 0.12.{source_id})"
        )
    creator = values.obj(view.get("creator") or {}, where, "creator")
    deleted = values.flag(comment.get("deleted"), where, "deleted")
    body = values.body(comment.get("content"), where, "content")
    counts = values.obj(view.get("counts") or {}, where, "counts")
    child_count = counts.get("child_count")
    parsed = ParsedComment(
        source_id=source_id,
        parent_source_id=steps[-2] if len(steps) > 2 else None,
        body="" if deleted else body,
        author_name=values.author(creator.get("name"), where, "creator.name"),
        created_at=values.timestamp(comment.get("published"), where, "published"),
        edited_at=values.timestamp(comment.get("updated"), where, "updated"),
        **_tallies(view, where),
        is_deleted=deleted,
        is_removed=values.flag(comment.get("removed"), where, "removed"),
        distinguished="moderator"
        if values.flag(comment.get("distinguished"), where, "distinguished")
        else "",
    )
    if child_count is not None:
        child_count = values.count(child_count, where, "counts.child_count")
    return parsed, child_count, steps[1:-1]
