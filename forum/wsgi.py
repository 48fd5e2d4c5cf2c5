"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

from threads.checks import require_collected_static_files

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

application = get_wsgi_application()

# Serving with DEBUG off needs collected static files: fail here, once, naming the fix,
# rather than with a 500 on every page.
require_collected_static_files()
