"""Photo intake: the content type is what the image is, not what the client says; metadata is dropped."""

from __future__ import annotations

import io
import os
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}
# Phone cameras often write a JPEG with a multi-picture segment, which Pillow calls MPO.
READ_AS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG"}
MAX_PIXELS = 40_000_000  # a phone photo is 12-50 MP; anything larger is refused, not decoded
MAX_SIDE = 2048  # stored photos are scaled down to this: enough to see, less to keep


class BadImage(ValueError):
    pass


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str
    suffix: str
    width: int
    height: int


def clean(raw: bytes) -> CleanImage:
    """Read the bytes as a JPEG or PNG, turn it upright, scale it down and re-encode it without metadata."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as probe:
                fmt = READ_AS.get(probe.format or "")
                if fmt is None:
                    raise BadImage("only JPEG and PNG photos are accepted")
                if probe.width * probe.height > MAX_PIXELS:
                    raise BadImage("the photo has too many pixels")
                probe.verify()
            with Image.open(io.BytesIO(raw)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
    ) as exc:
        raise BadImage("the file is not a readable JPEG or PNG image") from exc
    if upright.mode not in ("RGB", "RGBA", "L", "LA"):
        upright = upright.convert("RGBA")  # palettes and CMYK: make the pixels explicit
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    # A fresh image holds pixels only: no EXIF, GPS, XMP, ICC comments or PNG text chunks.
    bare = Image.new(upright.mode, upright.size)
    bare.paste(upright)
    if fmt == "JPEG" and bare.mode not in ("RGB", "L"):
        bare = bare.convert("RGB")
    out = io.BytesIO()
    if fmt == "JPEG":
        bare.save(out, "JPEG", quality=85, optimize=True)
    else:
        bare.save(out, "PNG", optimize=True)
    content_type, suffix = FORMATS[fmt]
    return CleanImage(out.getvalue(), content_type, suffix, bare.width, bare.height)


def store(folder: Path, image: CleanImage) -> str:
    """Write the photo under a random name; returns its storage key."""
    folder.mkdir(parents=True, exist_ok=True)
    key = f"{uuid.uuid4().hex}{image.suffix}"
    tmp = folder / f".{key}.tmp"
    tmp.write_bytes(image.data)
    os.replace(tmp, folder / key)
    return key


def path_of(folder: Path, key: str) -> Path:
    return folder / Path(key).name
