"""The e-mail outbox: without ``MAIL_SERVER`` each message is written as one ``.eml`` file.

A Flask-Mailman backend (``MAIL_BACKEND = "services.outbox"``), so that sending code is the same
whether messages go out by SMTP or land in ``instance/outbox/`` (``MAIL_OUTBOX_DIR``), where
development and tests read them. Each file is written under a temporary name and then renamed,
so a reader never sees half a message.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from flask_mailman.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    """Writes every message to ``MAIL_OUTBOX_DIR`` as ``<time>-<id>.eml``."""

    def send_messages(self, email_messages) -> int:
        """Write the messages; return how many were written."""
        folder = Path(current_app.config["MAIL_OUTBOX_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        written = 0
        for message in email_messages:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            path = folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            partial = path.with_suffix(".part")
            partial.write_bytes(message.message().as_bytes())
            os.replace(partial, path)
            written += 1
        return written
