import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tanu.settings")
application = get_wsgi_application()


def _refuse_without_static_files() -> None:
    """Refuse to serve pages that would all fail (gunicorn, `tanu runserver` without TANU_DEBUG)."""
    from tanu.accounts.checks import static_files_are_collected

    for problem in static_files_are_collected(None):
        raise ImproperlyConfigured(f"{problem.msg} {problem.hint}")


def _refuse_without_audit_key() -> None:
    """Outside debug, demo and tests, every audited write needs TANU_AUDIT_KEY (it keys the
    chain): refuse to serve rather than fail at the first write."""
    from tanu.audit.chain import current_key

    current_key()


_refuse_without_static_files()
_refuse_without_audit_key()
