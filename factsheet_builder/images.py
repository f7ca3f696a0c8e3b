"""Checking logo and photo files before they reach a renderer."""

from __future__ import annotations

from pathlib import Path


class ImageProblem(Exception):
    """Why an image file cannot be used (completes a sentence that starts with the path)."""


def check_image(path: Path, workspace: Path, max_bytes: int, max_pixels: int) -> Path:
    """Return the resolved path of a PNG/JPEG inside ``workspace``, or raise ImageProblem saying why not."""
    from PIL import Image

    resolved = path.resolve()
    if not resolved.is_relative_to(workspace.resolve()):
        raise ImageProblem("is outside the workspace; put the image in the workspace folder")
    if not resolved.is_file():
        raise ImageProblem("does not exist (paths are relative to the YAML file that names them)")
    size = resolved.stat().st_size
    if size > max_bytes:
        raise ImageProblem(f"is {size:,} bytes; the limit is {max_bytes:,}")
    try:
        with Image.open(resolved) as image:
            kind = image.format
            width, height = image.size
            if kind not in ("PNG", "JPEG"):
                raise ImageProblem(f"is a {kind} image; use a PNG or JPEG file")
            if width * height > max_pixels:
                raise ImageProblem(f"is {width}x{height} pixels; the limit is {max_pixels:,} pixels")
            image.verify()
    except ImageProblem:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageProblem(f"is too large to decode safely ({exc})") from None
    except Exception as exc:  # Pillow raises many types for damaged files
        raise ImageProblem(f"is not a readable PNG or JPEG image ({type(exc).__name__})") from None
    return resolved
