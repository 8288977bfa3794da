"""Checks on uploaded article images, made before Pillow decodes a single pixel.

An upload is refused when the file is larger than NEWSBOARD_MAX_IMAGE_BYTES,
when its content (not its name) is not a JPEG, PNG or WebP image, or when its
header announces more than NEWSBOARD_MAX_IMAGE_PIXELS pixels: a decompression
bomb is a small file that would take gigabytes once decoded. Files already in
storage were checked when they were uploaded and are not opened again.
"""

from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat, floatformat
from django.utils.translation import gettext_lazy as _
from PIL import Image

ACCEPTED_IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")


def is_stored(file):
    """True for a file already saved to storage, False for one being uploaded."""
    return getattr(file, "_committed", False)


def validate_image_file_size(file):
    if is_stored(file):
        return
    limit = settings.NEWSBOARD_MAX_IMAGE_BYTES
    if file.size > limit:
        raise ValidationError(
            _("Images may be at most %(limit)s: this file is %(size)s."),
            code="image_too_large",
            params={"limit": filesizeformat(limit), "size": filesizeformat(file.size)},
        )


def validate_image_content(file):
    if is_stored(file):
        return
    with open_image_header(file):
        pass


def too_many_pixels():
    return ValidationError(
        _(
            "Images may have at most %(limit)s megapixels: this one has more. "
            "Make it smaller and upload it again."
        ),
        code="image_too_many_pixels",
        params={"limit": floatformat(settings.NEWSBOARD_MAX_IMAGE_PIXELS / 1_000_000, -1)},
    )


@contextmanager
def open_image_header(file):
    """The Pillow image of a file, its header read but nothing decoded yet, once
    its format and pixel count are accepted; ValidationError otherwise.

    Pillow's own guard against decompression bombs (an error, or a warning that
    the warnings filter may turn into one) is refused with the same message as
    ours, so it never becomes a server error.
    """
    file.seek(0)
    try:
        image = Image.open(file, formats=ACCEPTED_IMAGE_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_many_pixels() from error
    except Exception as error:  # Pillow raises many kinds on hostile input.
        raise ValidationError(
            _("Upload a JPEG, PNG or WebP image: this file is not one, whatever its name says."),
            code="image_format_not_accepted",
        ) from error
    try:
        with image:
            width, height = image.size
            if width * height > settings.NEWSBOARD_MAX_IMAGE_PIXELS:
                raise too_many_pixels()
            yield image
    finally:
        file.seek(0)
