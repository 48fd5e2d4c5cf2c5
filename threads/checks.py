"""Serving with DEBUG off needs the static files collected, with their manifest.

With the manifest storage every ``{% static %}`` looks its file up in
``STATIC_ROOT/staticfiles.json``; a missing manifest, or a static file added since
``collectstatic`` ran, makes every page that names it a 500. The same finding fails the
start instead: ``forum/wsgi.py`` calls ``require_collected_static_files()`` when gunicorn
(or ``runserver``) loads the application, and ``check --deploy`` reports it as an error.
Other management commands (migrate, collectstatic itself) are not held up.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

SHOWN = 3  # uncollected files named in the message; the rest are counted


def static_files_problem() -> str | None:
    """What keeps the manifest storage from serving every static file, or None."""
    storage = staticfiles_storage  # a lazy proxy: isinstance sees the configured class
    try:
        if not isinstance(storage, ManifestFilesMixin):
            return None
        manifest = storage.manifest_storage.path(storage.manifest_name)
        if storage.read_manifest() is None:
            return (
                f"No static files manifest at {manifest}: run `manage.py collectstatic` "
                "(make serve does) before serving with DJANGO_DEBUG=0, or every page is a 500."
            )
        collected, _hash = storage.load_manifest()
    except ValueError as error:  # raised by the storage itself, collectstatic included
        return f"{error} in {settings.STATIC_ROOT}: delete it and run `manage.py collectstatic`."
    missing = sorted(name for name in _static_sources() if name not in collected)
    if missing:
        more = f" and {len(missing) - SHOWN} more" if len(missing) > SHOWN else ""
        return (
            f"Static files changed since collectstatic ({', '.join(missing[:SHOWN])}{more} "
            f"not in {manifest}): run `manage.py collectstatic` again."
        )
    return None


def _static_sources():
    """Every file collectstatic would collect, by the name templates use."""
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    for finder in get_finders():
        for name, _storage in finder.list(ignore):
            yield name


def require_collected_static_files() -> None:
    problem = static_files_problem()
    if problem:
        raise ImproperlyConfigured(problem)


@checks.register(checks.Tags.staticfiles, deploy=True)
def check_collected_static_files(app_configs=None, **kwargs):
    problem = static_files_problem()
    return [checks.Error(problem, id="threads.E001")] if problem else []
