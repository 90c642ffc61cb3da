"""Green Customs Learn: the application factory, which reads like a table of contents.

The factory is the one place that imports the areas' pages (blueprints) and wires one area to another
(greencustoms.interfaces); docs/architecture.md draws the areas and the dependencies they may have.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from greencustoms.config import PROJECT_ROOT, load_config


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config, extensions, content catalog, interfaces between areas, blueprints, error pages,
    web hooks, CLI."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    load_config(app, test_config)
    register_input_guard(app)
    register_extensions(app)
    register_content(app)
    register_interfaces(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_hooks(app)
    register_commands(app)
    return app


def register_input_guard(app: Flask) -> None:
    """Refuse control characters and out-of-range ids before any view or query sees them."""
    from greencustoms import inputguard

    inputguard.init_app(app)


def register_extensions(app: Flask) -> None:
    """Bind the extensions created unbound in greencustoms.extensions, and the background job runner."""
    from greencustoms import cookiesession, csrftoken, dbcommands, i18n, jobs
    from greencustoms import extensions as ext
    from greencustoms import mail as mail_tasks  # noqa: F401  (declares its background tasks)
    from greencustoms.auth.session import load_user_from_session
    from greencustoms.database import begin_at_first_write, configure_sqlite, engine_options, hide_error_details
    from greencustoms.exports import jobs as export_tasks  # noqa: F401  (declares its background tasks)
    from greencustoms.quiz import tasks as attempt_tasks  # noqa: F401  (declares its background tasks)
    from greencustoms.xapi import sender as xapi_tasks  # noqa: F401  (declares its background tasks)

    cookiesession.init_app(app)  # the signed cookie, verified once per process for each value
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    )
    ext.db.init_app(app)
    with app.app_context():
        configure_sqlite(ext.db.engine)
        begin_at_first_write(ext.db.engine)
        hide_error_details(ext.db.engine)
    dbcommands.init_app(app, ext.db)
    ext.login_manager.init_app(app)
    ext.login_manager.user_loader(load_user_from_session)
    ext.login_manager.login_view = "auth.login"
    ext.login_manager.login_message = _l("Sign in to see this page.")
    ext.login_manager.login_message_category = "info"
    ext.login_manager.session_protection = "basic"
    ext.csrf.init_app(app)
    csrftoken.init_app(app)  # after CSRFProtect: the templates' csrf_token() signs once per session secret
    ext.limiter.init_app(app)
    i18n.init_app(app)
    jobs.init_app(app)


def register_content(app: Flask) -> None:
    """Load the content catalog (and reload it on change in development)."""
    from greencustoms import content

    content.init_app(app)


def register_interfaces(app: Flask) -> None:
    """Plug each area's provider into the interfaces another area asks for (greencustoms.interfaces)."""
    from greencustoms import i18n, interfaces
    from greencustoms.certificates import receivers as certificate_providers
    from greencustoms.certificates.holdings import my_certificates
    from greencustoms.workshops.gate import pretest_review, quiz_gate
    from greencustoms.workshops.invitations import pending_count
    from greencustoms.workshops.participants import join_page_language
    from greencustoms.workshops.results import WORKSHOP_RESULTS, results_job_export
    from greencustoms.xapi import receivers as xapi_receivers

    provided = interfaces.init_app(app)
    provided.quiz_gate = quiz_gate
    provided.review_withheld = pretest_review
    provided.attempts_count_since = certificate_providers.attempts_count_since
    provided.learner_certificates = my_certificates
    provided.pending_invitations = pending_count
    i18n.add_page_default(app, join_page_language)  # a workshop's join page speaks the workshop's language
    provided.export_jobs[WORKSHOP_RESULTS.name] = interfaces.ExportJobSource(WORKSHOP_RESULTS, results_job_export)
    certificate_providers.connect_receivers()
    xapi_receivers.connect_receivers()


def register_blueprints(app: Flask) -> None:
    """Every page of the app, area by area. Areas whose routes span several modules list them all here."""
    from greencustoms.admin import (  # noqa: F401  (routes on admin_bp)
        design_views,
        exports_views,
        invitations_views,
        profile_fields_views,
        tokens_views,
        users_views,
    )
    from greencustoms.admin import views as admin_views  # noqa: F401  (routes on admin_bp)
    from greencustoms.admin.blueprint import bp as admin_bp
    from greencustoms.api.views import bp as api_bp
    from greencustoms.auth.reset_views import bp as password_reset_bp
    from greencustoms.auth.views import bp as auth_bp
    from greencustoms.certificates.codes import code_groups, format_code
    from greencustoms.certificates.views import bp as certificates_bp
    from greencustoms.content.views import bp as content_bp
    from greencustoms.coordinator.views import bp as coordinator_bp
    from greencustoms.credentials.views import bp as credentials_bp
    from greencustoms.exports.views import bp as exports_bp
    from greencustoms.language_views import bp as language_bp
    from greencustoms.learning.views import bp as learning_bp
    from greencustoms.quiz.views import bp as quiz_bp
    from greencustoms.workshops import invitation_views, join_views, participant_views, report_views  # noqa: F401
    from greencustoms.workshops import views as workshop_views  # noqa: F401  (routes on workshops_bp)
    from greencustoms.workshops.blueprint import bp as workshops_bp

    app.register_blueprint(content_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(password_reset_bp)
    app.register_blueprint(learning_bp)
    app.register_blueprint(quiz_bp)
    app.register_blueprint(certificates_bp)
    app.add_template_global(format_code, "format_code")
    app.add_template_global(code_groups, "code_groups")
    app.register_blueprint(admin_bp)
    app.register_blueprint(coordinator_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(workshops_bp)
    app.register_blueprint(credentials_bp)
    app.register_blueprint(language_bp)


def register_errorhandlers(app: Flask) -> None:
    """Generic error pages: a clear message and the right status, never a traceback."""
    from greencustoms.errors.handlers import bp as errors_bp

    app.register_blueprint(errors_bp)


def register_hooks(app: Flask) -> None:
    """Security headers, the trusted proxy, /healthz and the values every template sees."""
    from greencustoms import web

    web.init_app(app)


def register_commands(app: Flask) -> None:
    """The `flask` commands of every area (content and jobs add theirs when they are bound)."""
    from greencustoms.auth.cli import users_cli
    from greencustoms.credentials.cli import certificates_cli
    from greencustoms.exports.cli import export_cli
    from greencustoms.quiz.cli import register_commands as register_quiz_commands
    from greencustoms.xapi.cli import xapi_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(export_cli)
    register_quiz_commands(app)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(xapi_cli)
