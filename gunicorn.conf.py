"""gunicorn settings for production: ``gunicorn 'app:create_app()'`` picks this file up.

Each worker builds its search index and loads the matching model before it takes requests, so
that the first visitors after a deploy do not wait for them (seconds at 20,000 professions).
"""

import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = 60
accesslog = "-"


def post_worker_init(worker) -> None:
    """Warm this worker's per-process structures."""
    app = worker.wsgi
    if callable(getattr(app, "app_context", None)):
        with app.app_context():
            from services.recommendations import current_model
            from services.search import current_index

            current_index()
            current_model()
