"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

from threads.checks import require_collected_static_files

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

application = get_asgi_application()

# Serving with DEBUG off needs collected static files: fail here, once, naming the fix,
# rather than with a 500 on every page.
require_collected_static_files()
