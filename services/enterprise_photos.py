"""Photos on an enterprise's page: checked, re-encoded and stored under the upload folder.

An upload is opened with Pillow, verified, reopened and re-encoded as a JPEG of at most
``LONG_SIDE`` pixels on its long side. Re-encoding drops EXIF (camera, time, GPS position):
these photos may show children on a visit, and where and when they were taken is not the
public's business. The stored name is random, so nobody can guess the address of a photo.

Photos are not moderated: an approved staff member's photo shows at once on a public page
(the schema has no state for photos; see the report of issue 12).
"""

from __future__ import annotations

import io
import re
import secrets
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select

from extensions import db
from models import Enterprise, EnterprisePhoto, User
from services import audit
from services.enterprises import link_of

PHOTO_LIMIT = 8
LONG_SIDE = 1600
# Larger images are refused before they are decoded (a small file may unpack to gigabytes).
MAX_PIXELS = 50_000_000
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
JPEG_QUALITY = 85
STORED_NAME = re.compile(r"[0-9a-f]{32}\.jpg")
# A week, not a year: a photo its enterprise takes down should leave shared caches soon.
PUBLIC_CACHE_SECONDS = 7 * 24 * 3600


class PhotoRefused(Exception):
    """An upload that cannot become a photo; ``message`` says why, in the person's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def too_large_message() -> str:
    """What a person reads when the file is over ``PHOTO_MAX_BYTES``."""
    megabytes = current_app.config["PHOTO_MAX_BYTES"] // (1024 * 1024)
    return _("Файл больше %(n)s МБ. Уменьшите фото и загрузите снова.", n=megabytes)


def photo_folder() -> Path:
    """Where the enterprises' photos are stored."""
    return Path(current_app.config["UPLOAD_FOLDER"]) / "enterprises"


def photos_of(enterprise_id: int) -> list[EnterprisePhoto]:
    """The enterprise's photos in the order they were added."""
    return list(
        db.session.scalars(
            select(EnterprisePhoto)
            .where(EnterprisePhoto.enterprise_id == enterprise_id)
            .order_by(EnterprisePhoto.position, EnterprisePhoto.id)
        )
    )


def _reencoded(data: bytes) -> tuple[bytes, int, int]:
    """The upload as a JPEG without metadata, and its size.

    :raises PhotoRefused: when it is not a JPEG, PNG or WebP image Pillow can read.
    """
    unreadable = PhotoRefused(_("Это не фотография в формате JPEG, PNG или WebP."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise unreadable
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoRefused(_("Снимок слишком большой по числу пикселей."))
            probe.verify()  # checks the structure; the image cannot be used after it
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            keep_icc = image.mode in ("RGB", "RGBA")
            icc_profile = image.info.get("icc_profile") if keep_icc else None
            upright = ImageOps.exif_transpose(image)  # turn it as the camera meant, then drop EXIF
            flat = _on_white(upright)
    except PhotoRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise unreadable from None
    flat.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No ``exif=`` argument: the JPEG carries no EXIF. The colour profile stays (not personal).
    flat.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, icc_profile=icc_profile)
    return out.getvalue(), flat.width, flat.height


def _on_white(image: Image.Image) -> Image.Image:
    """An RGB image; transparent parts become white (JPEG has no transparency)."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def add_photo(enterprise: Enterprise, upload: BinaryIO, alt: str, author: User) -> EnterprisePhoto:
    """Store a re-encoded copy of the upload as the enterprise's next photo, and commit.

    :raises PhotoRefused: when the file is too large or not an image, or the enterprise has
        ``PHOTO_LIMIT`` photos already.
    """
    limit = current_app.config["PHOTO_MAX_BYTES"]
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise PhotoRefused(too_large_message())
    body, width, height = _reencoded(data)
    # Lock the enterprise, then count: two uploads at once cannot make a ninth photo.
    db.session.execute(
        select(Enterprise.id).where(Enterprise.id == enterprise.id).with_for_update()
    )
    count, last = db.session.execute(
        select(func.count(EnterprisePhoto.id), func.max(EnterprisePhoto.position)).where(
            EnterprisePhoto.enterprise_id == enterprise.id
        )
    ).one()
    if count >= PHOTO_LIMIT:
        db.session.rollback()
        raise PhotoRefused(
            _("Фотографий уже %(n)s — это предел. Удалите одну, чтобы добавить новую.", n=count)
        )
    folder = photo_folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.jpg"
    path = folder / name
    path.write_bytes(body)
    photo = EnterprisePhoto(
        enterprise_id=enterprise.id,
        filename=name,
        alt=alt,
        width=width,
        height=height,
        position=(last or 0) + 1,
    )
    db.session.add(photo)
    try:
        db.session.flush()
        audit.record("enterprise.photo_add", enterprise, actor=author, photo=name)
        db.session.commit()
    except Exception:
        db.session.rollback()
        path.unlink(missing_ok=True)
        raise
    return photo


def delete_photo(photo: EnterprisePhoto, author: User) -> None:
    """Remove the photo from the page and its file from the disk (after the commit, so that a
    failed commit leaves both)."""
    path = photo_folder() / photo.filename
    audit.record("enterprise.photo_delete", photo.enterprise, actor=author, photo=photo.filename)
    db.session.delete(photo)
    db.session.commit()
    path.unlink(missing_ok=True)


def servable(filename: str, user: User) -> tuple[Path, bool] | None:
    """The file of a photo this person may see, and whether it is public: anyone may see a
    public enterprise's photos, its own staff and regional staff those of one not public yet.
    None for anything else."""
    if not STORED_NAME.fullmatch(filename):
        return None
    photo = db.session.scalar(select(EnterprisePhoto).where(EnterprisePhoto.filename == filename))
    if photo is None:
        return None
    public = photo.enterprise.is_public
    if not (public or _may_preview(user, photo)):
        return None
    path = photo_folder() / filename
    return (path, public) if path.is_file() else None


def _may_preview(user: User, photo: EnterprisePhoto) -> bool:
    if not user.is_authenticated:
        return False
    return user.has_role("admin") or link_of(user, photo.enterprise) is not None
