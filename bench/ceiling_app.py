"""The platform as gunicorn serves it (`app:app`), plus `/__bench/ceiling`, a route that does nothing, and
`/__bench/signed-in`, one that does nothing but require a signed-in visitor.

Only the bench serves this module (`gunicorn -c gunicorn.conf.py bench.ceiling_app:app`). The ceiling route
goes through the same WSGI stack, hooks and extensions as every page, so "page rps / ceiling rps" says how much of
the stack's capacity a page's own work uses. The signed-in route pays what every signed-in page pays before its
own work (the cookie session, the per-request session check, the user object) and nothing else: its ratio is the
best any signed-in page can reach, which shows how much of a page's figure is the page and how much is being
signed in. Neither is ever added to the production app.
"""

from app import app  # the real entry point: gunicorn.conf.py's post_fork imports the same object
from greencustoms.access import Access, requires


@requires(Access.PUBLIC)  # every route names its access class; one without is refused (403), as a page would be
def _ceiling() -> str:
    return "ok"


@requires(Access.SIGNED_IN)  # the session check runs, as on every signed-in page; without a session: sent to sign in
def _signed_in() -> str:
    return "ok"


app.add_url_rule("/__bench/ceiling", "bench_ceiling", _ceiling)
app.add_url_rule("/__bench/signed-in", "bench_signed_in", _signed_in)

__all__ = ["app"]
