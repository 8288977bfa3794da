from django import forms

from .validators import validate_image_content, validate_image_file_size


class CheckedImageField(forms.ImageField):
    """Django's image field, with the upload checks run before it opens the file
    to verify it: a file too large, of another format or of too many pixels is
    refused with the message naming the limit, not a generic "not an image"."""

    def to_python(self, data):
        if data:
            validate_image_file_size(data)
            validate_image_content(data)
        return super().to_python(data)
