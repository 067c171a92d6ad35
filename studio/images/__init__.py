"""On-brand images: template renderer, diffusers or OpenAI Images backgrounds, one brand compositor.

`render_creative` renders the channel's image for a variant and applies every AI label to it.
"""

from studio.images.creative import CreativeResult, headline_from_copy, render_creative
from studio.images.safety import ImageInputError, open_image

__all__ = ["CreativeResult", "render_creative", "headline_from_copy", "ImageInputError", "open_image"]
