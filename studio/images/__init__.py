"""On-brand images: template renderer, diffusers or OpenAI Images backgrounds, one brand compositor.

`render_creative` renders the channel's image for a variant and applies every AI label to it.
"""

from studio.images.creative import CreativeResult, headline_from_copy, render_creative
from studio.imaging.safety import ImageInputError, open_image

__all__ = ["CreativeResult", "ImageInputError", "headline_from_copy", "open_image", "render_creative"]
