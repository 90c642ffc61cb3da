"""Green Customs Learn: the application factory, which reads like a table of contents."""

from __future__ import annotations

from flask import Flask

from greencustoms.config import PROJECT_ROOT, load_config


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config, extensions, content catalog, blueprints, error pages, security headers, CLI."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    load_config(app, test_config)
    _register_extensions(app)
    _register_content(app)
    _register_blueprints(app)
    _register_web_hooks(app)
    _register_commands(app)
    return app


def _register_extensions(app: Flask) -> None:
    from greencustoms import extensions as ext
    from greencustoms import i18n, jobs
    from greencustoms.auth.session import load_user_from_session
    from greencustoms.database import configure_sqlite

    ext.db.init_app(app)
    with app.app_context():
        configure_sqlite(ext.db.engine)
    ext.migrate.init_app(app, ext.db, directory=str(PROJECT_ROOT / "migrations"))
    ext.login_manager.init_app(app)
    ext.login_manager.user_loader(load_user_from_session)
    ext.login_manager.login_view = "auth.login"
    ext.login_manager.session_protection = "basic"
    ext.csrf.init_app(app)
    ext.limiter.init_app(app)
    i18n.init_app(app)
    jobs.init_app(app)


def _register_content(app: Flask) -> None:
    from greencustoms import content

    content.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from greencustoms import certificates, workshops
    from greencustoms.admin import bp as admin_bp
    from greencustoms.api import bp as api_bp
    from greencustoms.auth import bp as auth_bp
    from greencustoms.auth.reset_views import bp as password_reset_bp
    from greencustoms.errors import bp as errors_bp
    from greencustoms.exports.views import bp as exports_bp
    from greencustoms.learning import bp as learning_bp
    from greencustoms.quiz import bp as quiz_bp

    app.register_blueprint(errors_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(learning_bp)
    app.register_blueprint(quiz_bp)
    certificates.init_app(app)
    app.register_blueprint(password_reset_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(exports_bp)
    workshops.init_app(app)


def _register_web_hooks(app: Flask) -> None:
    from greencustoms import web

    web.init_app(app)


def _register_commands(app: Flask) -> None:
    from greencustoms import backup
    from greencustoms.auth.cli import users_cli
    from greencustoms.exports.cli import export_cli
    from greencustoms.quiz.cli import register_commands as register_quiz_commands

    app.cli.add_command(users_cli)
    backup.init_app(app)
    app.cli.add_command(export_cli)
    register_quiz_commands(app)
