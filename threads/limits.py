"""The forum's rules in numbers, in one place: models, forms, services, importers and
pages all read them from here, so a limit cannot differ between the form that takes a
text and the service that stores it.

Code reads them as ``limits.NAME`` at call time, so a test can change one with
``monkeypatch.setattr(limits, "NAME", ...)``.
"""

# Text
COMMENT_MAX_LENGTH = 10_000  # a comment or a thread body, in characters
THREAD_TITLE_MAX_LENGTH = 300
URL_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 500  # moderation reasons and reports
AUTHOR_NAME_MAX_LENGTH = 150  # an imported author's shown name
SOURCE_ID_MAX_LENGTH = 100  # an imported comment's id at its source
THREAD_SOURCE_MAX_LENGTH = 255  # an imported thread's key

# Pages
PAGE_BUDGET = 500  # comments per thread page or "load more" batch
MAX_BATCH_SIBLINGS = 200  # top-level comments (or replies of one parent) per batch
MAX_DISPLAY_DEPTH = 8  # deeper replies continue on the comment's own page
THREADS_PER_PAGE = 30
USER_ITEMS_PER_PAGE = 25
LOG_ENTRIES_PER_PAGE = 50
FEED_SIZE = 30
MAX_PINNED_THREADS = 3  # pinned threads atop the front page: a few, or the page is all pins
INBOX_ITEMS_PER_PAGE = 25
SAVED_ITEMS_PER_PAGE = 25

# Inbox
MENTIONS_PER_TEXT = 10  # different @names linked and told per comment or thread body

# Front page ranking (threads.services.ranking; the rerank command runs every 10 minutes)
RERANK_WINDOW_DAYS = 7  # threads this young are re-ranked as they age; older ones keep theirs
RERANK_BATCH_SIZE = 1000  # threads per re-rank transaction

# Imports
IMPORT_MAX_FILE_BYTES = 512 * 1024 * 1024
IMPORT_BATCH_SIZE = 2000  # rows per INSERT batch

# Accounts
EMAIL_CHANGE_LINK_SECONDS = 3 * 24 * 3600  # how long a link confirming a new address works

# Read replica (threads/db_router.py)
# After a write, the same browser reads from the primary for this long: it must exceed the
# replica's lag (milliseconds on one machine, seconds on a busy network) or a member could
# miss their own reply.
READ_YOUR_WRITES_SECONDS = 5

# Search
SEARCH_QUERY_MAX_LENGTH = 500  # characters typed in the search box
SEARCH_RESULTS_PER_PAGE = 20
SEARCH_MAX_PAGE = 50  # deeper pages cost more than anyone reads them; refine instead
