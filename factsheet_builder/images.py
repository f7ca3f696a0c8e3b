"""Checking logo and photo files before they reach a renderer."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath, PureWindowsPath
import warnings


class ImageProblem(Exception):
    """Why an image file cannot be used (completes a sentence that starts with the path as typed)."""


def check_image(text: str, named_in: str, workspace: Path, max_bytes: int, max_pixels: int) -> Path:
    """The resolved path of the PNG/JPEG that ``text`` names, relative to the workspace file ``named_in``.

    Raises ImageProblem when the path is absolute or leads outside the workspace (symlinks followed),
    or the file is missing, too big, not a PNG/JPEG, damaged, or a decompression bomb.
    """
    if PurePosixPath(text).is_absolute() or PureWindowsPath(text).drive:
        raise ImageProblem("is an absolute path; give the path relative to the YAML file, e.g. 'logos/school.png'")
    if "\\" in text:
        raise ImageProblem("contains '\\'; write paths with '/', e.g. 'logos/school.png'")
    root = workspace.resolve()
    resolved = (root / named_in).parent.joinpath(text).resolve()
    if not resolved.is_relative_to(root):
        raise ImageProblem("is outside the workspace; put the image inside the workspace folder, e.g. in schools/logos/")
    if not resolved.exists():
        looked = PurePosixPath(os.path.normpath(PurePosixPath(named_in).parent / text)).as_posix()
        raise ImageProblem(f"does not exist (looked for {looked}; paths are relative to the YAML file that names them)")
    if not resolved.is_file():
        raise ImageProblem("is a folder, not an image file")
    size = resolved.stat().st_size
    if size > max_bytes:
        raise ImageProblem(f"is {size:,} bytes; the limit is {max_bytes:,} (save a smaller PNG or JPEG)")
    _check_decodes(resolved, max_pixels)
    return resolved


def _check_decodes(path: Path, max_pixels: int) -> None:
    """Open and fully decode the image, refusing other formats, oversized pictures and damaged files."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.format not in ("PNG", "JPEG"):
                    raise ImageProblem(f"is a {image.format} image; save it as PNG or JPEG")
                width, height = image.size
                if width * height > max_pixels:
                    raise ImageProblem(f"is {width}x{height} pixels; the limit is {max_pixels:,} pixels")
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem(f"declares a picture too large to decode safely; the limit is {max_pixels:,} pixels") from None
    except UnidentifiedImageError:
        raise ImageProblem("is not a PNG or JPEG image (its contents are not a picture Pillow recognises)") from None
    except ImageProblem:
        raise
    except Exception as exc:  # Pillow's decoders raise many types (OSError, SyntaxError, ValueError...) for damaged files
        raise ImageProblem(f"is damaged and cannot be read ({' '.join(str(exc).split()) or type(exc).__name__})") from None
