"""The admin's comment search: the full-text index, removed comments included."""

from __future__ import annotations

from django.db.models import Q

from threads.models import Comment
from threads.search.query import QueryError, parse
from threads.selectors.search import matching

ADMIN_MATCHES_MAX = 5_000  # the change list pages them; more means: narrow the words


def comment_search_results(queryset, search_term: str, by_name: tuple):
    """``by_name`` (Django's search on the name fields) widened by the comments whose
    text matches ``search_term``; a term that is not a valid query matches names only."""
    found, may_have_duplicates = by_name
    try:
        query = parse(search_term)
    except QueryError:
        return found, may_have_duplicates
    if not query.has_terms:
        return found, may_have_duplicates
    ids = list(
        matching(Comment.objects.all(), query).values_list("pk", flat=True)[:ADMIN_MATCHES_MAX]
    )
    return queryset.filter(Q(pk__in=found.values("pk")) | Q(pk__in=ids)), may_have_duplicates
