"""Full-text search: the query language (``query``) and the two database engines
(``engines``) behind ``threads.selectors.search``, the one reader views call.

Text is indexed by the database itself, in the transaction of every write (triggers
made by migration ``0014_search_index``): PostgreSQL keeps a ``tsvector`` per thread
and comment in side tables with GIN indexes, SQLite keeps FTS5 tables (porter stemmer)
over the same columns. What is indexed is the text as written (``body``, the Markdown
that ``presentation.comment_body_text`` shows as plain text) and thread titles; who may
see a match is decided when searching, by the same querysets the pages use.
"""
