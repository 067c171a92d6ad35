"""OpenAI Images (or a compatible endpoint): base URL and key from settings, the picture as b64_json."""

from __future__ import annotations

import base64

from PIL import Image

from studio.images.diffusers_backend import ImageBackendError
from studio.imaging.safety import ImageInputError, open_image_bytes

SIZES = {"square": "1024x1024", "landscape": "1536x1024", "portrait": "1024x1536"}


def _size_for(width: int, height: int, model: str) -> str:
    if model.startswith("dall-e-3"):
        sizes = {"square": "1024x1024", "landscape": "1792x1024", "portrait": "1024x1792"}
    else:
        sizes = SIZES
    ratio = width / height
    return sizes["square"] if 0.8 <= ratio <= 1.25 else sizes["landscape" if ratio > 1 else "portrait"]


def generate(prompt: str, *, settings, width: int, height: int) -> tuple[Image.Image, dict]:
    from openai import OpenAI, OpenAIError

    if not settings.llm_api_key and not settings.llm_base_url:
        raise ImageBackendError("the OpenAI image backend needs STUDIO_LLM_API_KEY (and STUDIO_LLM_BASE_URL for a compatible server)")
    client = OpenAI(api_key=settings.llm_api_key or "not-needed", base_url=settings.llm_base_url,
                    timeout=getattr(settings, "llm_timeout", 60.0), max_retries=getattr(settings, "llm_max_retries", 2))
    model = settings.image_model
    kwargs = {"model": model, "prompt": prompt, "n": 1, "size": _size_for(width, height, model)}
    if not model.startswith("gpt-image"):
        kwargs["response_format"] = "b64_json"  # gpt-image models always answer with b64_json
    try:
        response = client.images.generate(**kwargs)
    except OpenAIError as exc:
        raise ImageBackendError(f"image request to {settings.llm_base_url or 'OpenAI'} failed: {exc}") from None
    data = response.data[0] if response.data else None
    if data is None or not getattr(data, "b64_json", None):
        raise ImageBackendError("the image endpoint returned no b64_json picture")
    try:
        raw = base64.b64decode(data.b64_json, validate=True)
        image = open_image_bytes(raw, name="image endpoint response")
    except (ValueError, ImageInputError) as exc:
        raise ImageBackendError(f"the image endpoint returned an unusable picture: {exc}") from None
    return image.convert("RGB"), {"model": model, "size": kwargs["size"],
                                  "revised_prompt": getattr(data, "revised_prompt", None)}
