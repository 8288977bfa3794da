"""Lead images for the demo articles: abstract illustrations painted with Pillow."""

import math
from io import BytesIO
from random import Random

from PIL import Image, ImageDraw, ImageFilter


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _mix(first: tuple[int, ...], second: tuple[int, ...], share: float) -> tuple[int, ...]:
    return tuple(round(a + (b - a) * share) for a, b in zip(first, second, strict=True))


def lead_image_jpeg(
    rng: Random, palette: tuple[str, str, str], *, width: int = 1200, height: int = 675
) -> bytes:
    """An abstract editorial illustration in the palette's colours, as JPEG bytes.

    A vertical gradient, translucent diagonal bands, a sun and two rolling ridges are painted at
    half size, blurred a little and scaled up, which softens their edges far more cheaply than a
    blur at full size; a ring, a horizon line and a grid of dots are then drawn crisp on top.
    """
    top, bottom, accent = (_rgb(colour) for colour in palette)
    small = (max(1, width // 2), max(1, height // 2))
    w, h = small
    gradient = Image.linear_gradient("L").resize(small)
    canvas = Image.composite(
        Image.new("RGB", small, bottom), Image.new("RGB", small, top), gradient
    )
    draw = ImageDraw.Draw(canvas, "RGBA")  # RGBA fills blend into the RGB canvas
    for _band in range(rng.randint(2, 4)):
        left, band = rng.uniform(-0.3, 1.0) * w, rng.uniform(0.05, 0.2) * w
        slant = rng.uniform(0.3, 0.9) * h * rng.choice((-1, 1))
        colour = _mix(top, accent, rng.uniform(0.2, 0.8))
        draw.polygon(
            [(left, 0), (left + band, 0), (left + band + slant, h), (left + slant, h)],
            fill=(*colour, rng.randint(30, 80)),
        )
    radius = rng.uniform(0.16, 0.3) * h
    sun_x, sun_y = rng.uniform(0.15, 0.85) * w, rng.uniform(0.22, 0.45) * h
    draw.ellipse(
        (sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius),
        fill=(*_mix(accent, top, 0.1), 235),
    )
    horizon = rng.uniform(0.55, 0.7) * h
    shade = _mix(bottom, accent, 0.35)
    for ridge in range(2):
        base = horizon + ridge * 0.12 * h
        amplitude = rng.uniform(0.03, 0.08) * h
        waves, phase = rng.uniform(1.0, 3.0), rng.uniform(0, math.tau)
        outline = [
            (x, base + amplitude * math.sin(phase + math.tau * waves * x / w))
            for x in range(0, w + 8, 8)
        ]
        colour = _mix(shade, (0, 0, 0), 0.15 + 0.2 * ridge)
        draw.polygon([*outline, (w, h), (0, h)], fill=(*colour, 215 + 40 * ridge))
    image = canvas.filter(ImageFilter.GaussianBlur(1.2)).resize(
        (width, height), Image.Resampling.BICUBIC
    )
    draw = ImageDraw.Draw(image)
    scale_x, scale_y = width / w, height / h
    line_colour = _mix(accent, (255, 255, 255), 0.4)
    ring = radius * scale_y * rng.uniform(1.15, 1.35)
    centre_x, centre_y = sun_x * scale_x, sun_y * scale_y
    draw.ellipse(
        (centre_x - ring, centre_y - ring, centre_x + ring, centre_y + ring),
        outline=line_colour,
        width=max(1, height // 300),
    )
    line_y = horizon * scale_y - rng.uniform(0.02, 0.06) * height
    draw.line((0, line_y, width, line_y), fill=line_colour, width=max(1, height // 400))
    step = max(4, height // 40)
    dots_x = rng.choice((step * 2, width - step * 12))
    dots_y = rng.uniform(0.08, 0.25) * height
    dot = max(1, step // 6)
    for row in range(rng.randint(3, 5)):
        for column in range(rng.randint(6, 10)):
            x, y = dots_x + column * step, dots_y + row * step
            draw.ellipse((x - dot, y - dot, x + dot, y + dot), fill=line_colour)
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue()
