"""Diffusers text-to-image: a pipeline from a local model directory or a model id already in the HF cache.

Nothing is downloaded at run time (local_files_only=True). CPU in float32, CUDA in float16 when available.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from PIL import Image

_LOCK = threading.Lock()


class ImageBackendError(RuntimeError):
    """The configured image backend cannot produce a picture (missing model, bad response...)."""


def device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


@lru_cache(maxsize=2)
def load_pipeline(model: str, device_name: str):
    import torch
    from diffusers import AutoPipelineForText2Image, DiffusionPipeline

    dtype = torch.float16 if device_name == "cuda" else torch.float32
    local = Path(model).expanduser()
    source = str(local) if local.exists() else model
    if local.exists() and not (local / "model_index.json").is_file():
        raise ImageBackendError(f"{local}: not a diffusers model directory (no model_index.json)")
    try:
        try:
            pipe = AutoPipelineForText2Image.from_pretrained(source, dtype=dtype, local_files_only=True)
        except ValueError:  # a pipeline class AutoPipeline does not map
            pipe = DiffusionPipeline.from_pretrained(source, dtype=dtype, local_files_only=True)
    except OSError as exc:
        raise ImageBackendError(
            f"cannot load diffusers model '{model}' offline: give a local model directory or a model id "
            f"already in the Hugging Face cache ({str(exc).splitlines()[0]})") from None
    pipe.set_progress_bar_config(disable=True)
    return pipe.to(device_name)


def _generation_size(pipe, width: int, height: int) -> tuple[int, int]:
    """The channel's aspect at the model's native resolution, in multiples the UNet accepts."""
    unet = getattr(pipe, "unet", None) or getattr(pipe, "transformer", None)
    vae_scale = getattr(pipe, "vae_scale_factor", 8)
    sample = getattr(getattr(unet, "config", None), "sample_size", 64) or 64
    if isinstance(sample, (list, tuple)):
        sample = max(sample)
    native = sample * vae_scale
    blocks = len(getattr(getattr(unet, "config", None), "block_out_channels", [1, 1, 1, 1]) or [1])
    multiple = vae_scale * 2 ** max(0, blocks - 1)
    scale = native / max(width, height)

    def snap(v: float) -> int:
        return max(multiple, round(v / multiple) * multiple)

    return snap(width * scale), snap(height * scale)


def generate(prompt: str, *, model: str, width: int, height: int, steps: int, seed: int) -> tuple[Image.Image, dict]:
    import torch

    dev = device()
    pipe = load_pipeline(model, dev)
    gen_w, gen_h = _generation_size(pipe, width, height)
    generator = torch.Generator(device=dev).manual_seed(int(seed))
    with _LOCK, torch.inference_mode():
        result = pipe(prompt=prompt, num_inference_steps=int(steps), generator=generator, width=gen_w, height=gen_h,
                      output_type="pil")
    image = result.images[0].convert("RGB")
    return image, {"model": model, "device": dev, "steps": int(steps), "seed": int(seed),
                   "generated_size": [gen_w, gen_h], "pipeline": type(pipe).__name__}
