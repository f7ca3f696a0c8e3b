"""Checking logo and photo files before they reach a renderer, and giving Word a copy it can embed."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath, PureWindowsPath

from factsheet_builder.files import NotReadable, kind, read_with_stat, reason

MAX_BYTES = 5_000_000  # also the most read of any image file


@dataclass(frozen=True)
class Picture:
    """A checked PNG or JPEG file as it was read, once: the renderers draw these bytes, so a build records the
    hash of exactly what it drew, even if the file is saved again meanwhile."""

    path: Path  # resolved
    data: bytes = field(repr=False)
    mtime_ns: int  # the file's modification time just before it was read

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


class ImageProblem(Exception):
    """Why an image file cannot be used (completes a sentence that starts with the path as typed)."""


def check_image(text: str, named_in: str, workspace: Path, max_bytes: int, max_pixels: int) -> Picture:
    """The PNG/JPEG that ``text`` names, relative to the workspace file ``named_in``, as read.

    Raises ImageProblem when the path is absolute or leads outside the workspace (symlinks followed), or the file
    is missing, not a regular file, too big, not a PNG/JPEG, damaged, a decompression bomb, or a picture that
    neither the PDF nor (once converted) the DOCX writer can embed.
    """
    if PurePosixPath(text).is_absolute() or PureWindowsPath(text).drive:
        raise ImageProblem("is an absolute path; give the path relative to the YAML file, e.g. 'logos/school.png'")
    if "\\" in text:
        raise ImageProblem("contains '\\'; write paths with '/', e.g. 'logos/school.png'")
    root = workspace.resolve()
    try:
        resolved = (root / named_in).parent.joinpath(text).resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a symlink loop, later ones OSError
        raise ImageProblem("is a symbolic link that leads in a loop") from None
    if not resolved.is_relative_to(root):
        raise ImageProblem(
            "is outside the workspace; put the image inside the workspace folder, e.g. in schools/logos/"
        )
    try:
        mode = os.stat(resolved).st_mode
    except FileNotFoundError:
        looked = PurePosixPath(os.path.normpath(PurePosixPath(named_in).parent / text)).as_posix()
        raise ImageProblem(
            f"does not exist (looked for {looked}; paths are relative to the YAML file that names them)"
        ) from None
    except OSError as exc:
        raise ImageProblem(f"cannot be read: {reason(exc)}") from None
    if not stat.S_ISREG(mode):
        raise ImageProblem(f"is {kind(mode)}, not an image file")
    try:
        data, info = read_with_stat(resolved, max_bytes)
    except NotReadable as exc:
        hint = " (save a smaller PNG or JPEG)" if exc.oversized else ""
        raise ImageProblem(f"{exc}{hint}") from None
    _check_decodes(data, max_pixels)
    try:
        docx_image(data)
    except Exception as exc:  # whatever python-docx or the conversion raises: the DOCX could not show it
        raise ImageProblem(f"cannot be put in a Word document ({_why(exc)}); save it again as a PNG") from None
    return Picture(resolved, data, info.st_mtime_ns)


def _check_decodes(data: bytes, max_pixels: int) -> None:
    """Open and fully decode the image, refusing other formats, oversized pictures and damaged files."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in ("PNG", "JPEG"):
                    raise ImageProblem(f"is a {image.format} image; save it as PNG or JPEG")
                width, height = image.size
                if width * height > max_pixels:
                    raise ImageProblem(f"is {width}x{height} pixels; the limit is {max_pixels:,} pixels")
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem(
            f"declares a picture too large to decode safely; the limit is {max_pixels:,} pixels"
        ) from None
    except UnidentifiedImageError:
        raise ImageProblem("is not a PNG or JPEG image (its contents are not a picture Pillow recognises)") from None
    except ImageProblem:
        raise
    except (
        Exception
    ) as exc:  # Pillow's decoders raise many types (OSError, SyntaxError, ValueError...) for damaged files
        raise ImageProblem(f"is damaged and cannot be read ({_why(exc)})") from None


def _why(exc: Exception) -> str:
    return " ".join(str(exc).split())[:100] or type(exc).__name__


def docx_image(data: bytes) -> bytes:
    """The image as python-docx can embed it: ``data`` itself, or an RGB copy when python-docx cannot read its
    header (a CMYK JPEG, or a JPEG without a JFIF or Exif header); raises when neither works."""
    from docx.image.exceptions import UnrecognizedImageError
    from docx.image.image import Image as DocxImage

    try:
        _ = DocxImage.from_blob(data).width  # reads the header as add_picture does, size included
        return data
    except UnrecognizedImageError:
        pass
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        jpeg = image.format == "JPEG"
        converted = image.convert("RGB" if jpeg or image.mode == "CMYK" else "RGBA")
    out = io.BytesIO()
    converted.save(out, "JPEG", quality=95) if jpeg else converted.save(out, "PNG")
    _ = DocxImage.from_blob(out.getvalue()).width
    return out.getvalue()


def docx_picture(picture: Picture) -> io.BytesIO:
    """The picture ready for python-docx's add_picture (see ``docx_image``)."""
    return io.BytesIO(docx_image(picture.data))
