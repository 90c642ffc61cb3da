"""Flask extensions, created unbound here and bound to the app in the factory.

Flask-Migrate is bound on first use instead (greencustoms.dbcommands).
"""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

from greencustoms.database import db

login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
babel = Babel()

__all__ = ["babel", "csrf", "db", "limiter", "login_manager"]
