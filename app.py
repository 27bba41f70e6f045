"""Application factory of Профмаршрут."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from config import INSTANCE_DIR, Config, config_for
from extensions import (
    compress,
    configure_sqlite,
    csrf,
    db,
    htmx,
    limiter,
    login_manager,
    mail,
    migrate,
    talisman,
)

# Signs sessions, CSRF tokens and the links we mail: 32 random characters at the least.
MIN_SECRET_KEY_LENGTH = 32
# Content Security Policy: everything is served from this host; no inline scripts or styles.
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


class IdConverter(IntegerConverter):
    """A database id in URLs: 1 to 2**31-1, so that an absurd number is a 404, not a 500."""

    def __init__(self, url_map, **kwargs):
        super().__init__(url_map, min=1, max=2**31 - 1)


def create_app(config: type[Config] | dict[str, Any] | None = None) -> Flask:
    """Build the Flask app: settings, extensions, blueprints, CLI commands and error pages.

    ``config`` is a settings class, or a mapping of overrides applied on top of the mode that
    ``APP_ENV`` selects.
    """
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    if isinstance(config, type):
        app.config.from_object(config)
    else:
        app.config.from_object(config_for(os.environ.get("APP_ENV")))
        if config:
            app.config.update(config)
    _ensure_secret_key(app)
    if proxies := app.config.get("PROXY_COUNT"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.url_map.converters["id"] = IdConverter
    from request_guard import init_request_guard

    init_request_guard(app)
    _init_extensions(app)
    _register_blueprints(app)

    from services.accounts import init_passwords

    init_passwords(app)

    from access import init_access
    from cli import register_cli
    from errors import init_errors
    from i18n import init_i18n
    from jobs import init_jobs
    from rendering import init_rendering
    from static_assets import init_static_assets

    init_static_assets(app)
    init_jobs(app)
    init_i18n(app)
    init_access(app)
    init_errors(app)
    init_rendering(app)
    register_cli(app)
    return app


def _ensure_secret_key(app: Flask) -> None:
    """Require a long SECRET_KEY in production; elsewhere keep a random one in ``instance/``."""
    production = not app.config.get("DEBUG") and not app.config.get("TESTING")
    if key := app.config.get("SECRET_KEY"):
        if production and len(key) < MIN_SECRET_KEY_LENGTH:
            raise RuntimeError(
                f"SECRET_KEY is too short: use at least {MIN_SECRET_KEY_LENGTH} random characters"
                " (python -c 'import secrets; print(secrets.token_hex(32))')"
            )
        return
    if production:
        raise RuntimeError("SECRET_KEY must be set outside development and tests")
    key_file = Path(app.instance_path) / "secret_key"
    key_file.parent.mkdir(parents=True, exist_ok=True)
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def _init_extensions(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    import models  # noqa: F401  (registers every table with the metadata)

    configure_sqlite()
    from services.catalogue_version import listen_for_catalogue_changes

    listen_for_catalogue_changes()
    from services.notifications import listen_for_notifications

    listen_for_notifications()
    from services.account_mail import listen_for_account_mail

    listen_for_account_mail()

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    mail.init_app(app)
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=CSP,
        strict_transport_security=app.config["FORCE_HTTPS"],
        referrer_policy="same-origin",
        frame_options="DENY",  # as CSP's frame-ancestors 'none' says, for older browsers
    )


def _register_blueprints(app: Flask) -> None:
    from blueprints import (
        admin,
        api,
        auth,
        bookings,
        consent,
        counsellor,
        employer,
        main,
        notifications,
        professions,
        quiz,
        student,
        vacancies,
        visits,
    )

    app.register_blueprint(main.bp)
    app.register_blueprint(auth.bp, url_prefix="/auth")
    app.register_blueprint(professions.bp, url_prefix="/professions")
    app.register_blueprint(visits.bp)
    app.register_blueprint(bookings.bp)
    app.register_blueprint(notifications.bp)
    app.register_blueprint(quiz.bp)
    app.register_blueprint(vacancies.bp, url_prefix="/vacancies")
    app.register_blueprint(student.bp, url_prefix="/me")
    app.register_blueprint(consent.bp)
    app.register_blueprint(counsellor.bp, url_prefix="/counsellor")
    app.register_blueprint(employer.bp, url_prefix="/employer")
    app.register_blueprint(admin.bp, url_prefix="/admin")
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    csrf.exempt(api.bp)  # the API authenticates with bearer tokens, not cookies
