"""The platform as gunicorn serves it (`app:app`), plus `/__bench/ceiling`: a route that does nothing.

Only the bench serves this module (`gunicorn -c gunicorn.conf.py bench.ceiling_app:app`). The ceiling route
goes through the same WSGI stack, hooks and extensions as every page, so "page rps / ceiling rps" says how much of
the stack's capacity a page's own work uses. It is never added to the production app.
"""

from app import app  # the real entry point: gunicorn.conf.py's post_fork imports the same object
from greencustoms.access import Access, requires


@requires(Access.PUBLIC)  # every route names its access class; one without is refused (403), as a page would be
def _ceiling() -> str:
    return "ok"


app.add_url_rule("/__bench/ceiling", "bench_ceiling", _ceiling)

__all__ = ["app"]
