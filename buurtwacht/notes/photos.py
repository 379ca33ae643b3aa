"""Photo intake: the content type is what the image is, not what the client says; metadata is dropped.

What reading an image may cost is settled before a pixel is decoded: its size comes from the header,
and an image of more pixels than a phone photo has is refused. A JPEG is then decoded at the
smallest scale (1/1, 1/2, 1/4 or 1/8: DCT scaling) that still covers the stored size; a PNG, which
has no such scaling, whole. The pixel limit keeps the costliest image that passes (a 25 MP PNG, or
a progressive JPEG, whose coefficients libjpeg holds at full scale) to about 150 MB and a second;
a phone photo costs what Pillow's plain thumbnail of it does (bench/photos.py).
"""

from __future__ import annotations

import io
import os
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}
# Phone cameras often write a JPEG with a multi-picture segment, which Pillow calls MPO.
READ_AS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG"}
# A phone photo at its usual size passes: 12 MP (4032x3024, most phones' default, also that of 48
# and 50 MP phones, which bin four pixels into one), 24.5 MP (5712x4284, a recent iPhone's default),
# a 24 MP camera (6000x4000). A 48 MP full-resolution shot, which a phone makes only when asked, is
# refused with a message that says the limit.
MAX_PIXELS = 25_000_000
MAX_SIDE = 2048  # stored photos are scaled down to this: enough to see, less to keep
# Pillow's own guard, for any image this process opens: a warning beyond MAX_PIXELS, an error beyond twice.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# Modes kept as they are; any other (palette, CMYK, 16-bit, bilevel) is made RGBA first.
KEPT_MODES = ("RGB", "RGBA", "L", "LA")


class BadImage(ValueError):
    pass


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str
    suffix: str
    width: int
    height: int


def _too_many_pixels(width: int, height: int) -> BadImage:
    return BadImage(
        f"the photo is {width}x{height} pixels ({width * height / 1e6:.1f} megapixels): at most "
        f"{MAX_PIXELS // 1_000_000} megapixels are accepted, which a phone photo at its usual size is"
    )


def clean(raw: bytes) -> CleanImage:
    """Read the bytes as a JPEG or PNG, turn it upright, scale it down and re-encode it without metadata."""
    try:
        with warnings.catch_warnings():
            # The size is judged below, from the header, with an answer that names it.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as probe:  # reads the header, no image data
                fmt = READ_AS.get(probe.format or "")
                if fmt is None:
                    raise BadImage("only JPEG and PNG photos are accepted")
                if probe.width * probe.height > MAX_PIXELS:
                    raise _too_many_pixels(probe.width, probe.height)
                probe.verify()
            with Image.open(io.BytesIO(raw)) as image:
                return _re_encoded(image, fmt)
    except BadImage:
        raise
    except Image.DecompressionBombError as exc:  # Pillow refused to open it: twice the limit or more
        raise BadImage(
            f"the photo has more than {2 * MAX_PIXELS // 1_000_000} megapixels: at most "
            f"{MAX_PIXELS // 1_000_000} megapixels are accepted, which a phone photo at its usual size is"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise BadImage("the file is not a readable JPEG or PNG image") from exc


def _fitted(width: int, height: int) -> tuple[int, int]:
    """The size the photo is stored at: within MAX_SIDE x MAX_SIDE, in proportion."""
    scale = min(1.0, MAX_SIDE / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _re_encoded(image: Image.Image, fmt: str) -> CleanImage:
    if fmt == "JPEG":
        image.draft(None, _fitted(image.width, image.height))  # decode at a fraction of the scale, if it covers
    image.load()
    frame = image if image.mode in KEPT_MODES else image.convert("RGBA")  # palettes, CMYK: explicit pixels
    frame.thumbnail((MAX_SIDE, MAX_SIDE))  # by a whole factor first (reduce), then resampled
    upright = ImageOps.exif_transpose(frame)  # turned on the small image: the same result, a fraction of the work
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


def folder() -> Path:
    """Where photos are kept: BUURTWACHT_PHOTO_DIR, relative to the instance folder unless absolute."""
    named = Path(current_app.config["BUURTWACHT"].PHOTO_DIR)
    return named if named.is_absolute() else Path(current_app.instance_path) / named


def store(folder: Path, image: CleanImage, stem: str | None = None) -> str:
    """Write the photo under `stem` (default: a random name); returns its storage key."""
    folder.mkdir(parents=True, exist_ok=True)
    key = f"{stem or uuid.uuid4().hex}{image.suffix}"
    tmp = folder / f".{key}.tmp"
    tmp.write_bytes(image.data)
    os.replace(tmp, folder / key)
    return key


def path_of(folder: Path, key: str) -> Path:
    return folder / Path(key).name
