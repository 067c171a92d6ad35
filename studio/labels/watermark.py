"""Invisible watermark: a 32-bit payload derived from the variant id, embedded with dwtDctSvd.

Payload = the first 4 bytes of SHA-256(variant id, UTF-8). `verify` decodes 32 bits and compares them
with the payload computed from the variant id that the file's XMP / C2PA manifest names; a match
allows up to 2 flipped bits (JPEG re-encoding can flip a bit). Without a variant id to compare with
(metadata stripped), the decoded payload is reported but cannot be confirmed.
"""

from __future__ import annotations

import hashlib

import numpy as np

PAYLOAD_BITS = 32
METHOD = "dwtDctSvd"
MAX_BIT_ERRORS = 2
MIN_SIDE = 256  # imwatermark skips images smaller than this


def payload_bytes(variant_id: str) -> bytes:
    return hashlib.sha256(variant_id.encode("utf-8")).digest()[: PAYLOAD_BITS // 8]


def payload_hex(variant_id: str) -> str:
    return payload_bytes(variant_id).hex()


def _bits(data: bytes) -> list[int]:
    return [(byte >> (7 - i)) & 1 for byte in data for i in range(8)]


SCALE = 36  # imwatermark's dwtDctSvd scale for the U channel
BLOCK = 4


def _u_channel(rgb: np.ndarray) -> np.ndarray:
    import cv2

    bgr = np.ascontiguousarray(rgb[:, :, ::-1])
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2YUV)[:, :, 1].astype(np.float64)


def _approx_blocks(u: np.ndarray) -> tuple[np.ndarray, int, int]:
    """Haar DWT approximation band of U (as pywt.dwt2 computes it), cut into 4x4 blocks in row-major order."""
    rows, cols = u.shape[0] // 4 * 4, u.shape[1] // 4 * 4
    x = u[:rows, :cols]
    ca = (x[0::2, 0::2] + x[0::2, 1::2] + x[1::2, 0::2] + x[1::2, 1::2]) / 2.0
    br, bc = ca.shape[0] // BLOCK, ca.shape[1] // BLOCK
    blocks = ca[: br * BLOCK, : bc * BLOCK].reshape(br, BLOCK, bc, BLOCK).swapaxes(1, 2).reshape(-1, BLOCK, BLOCK)
    return blocks, br, bc


def embed(rgb: np.ndarray, variant_id: str) -> np.ndarray:
    """Watermark an RGB uint8 array with the variant's payload; returns a new RGB array.

    The same algorithm as invisible-watermark's `dwtDctSvd` (U channel, Haar DWT, 4x4 blocks, largest
    singular value quantised with scale 36; the DCT is orthonormal, so it leaves singular values and
    the rank-1 update unchanged and is skipped), vectorised with numpy: ~20x faster than the
    library's per-block loop, and decoded by the library's own `WatermarkDecoder`.
    """
    h, w = rgb.shape[:2]
    if min(h, w) < MIN_SIDE:
        raise ValueError(f"image {w}x{h} is too small for the invisible watermark (needs {MIN_SIDE}px per side)")
    bits = np.array(_bits(payload_bytes(variant_id)), dtype=np.float64)
    u = _u_channel(rgb)
    blocks, br, bc = _approx_blocks(u)
    s0, u0, v0 = _top_singular(blocks)
    wanted = bits[np.arange(len(blocks)) % PAYLOAD_BITS]
    s0_new = (s0 // SCALE + 0.25 + 0.5 * wanted) * SCALE
    delta = (s0_new - s0)[:, None, None] * (u0[:, :, None] * v0[:, None, :])
    d_ca = delta.reshape(br, bc, BLOCK, BLOCK).swapaxes(1, 2).reshape(br * BLOCK, bc * BLOCK)
    # inverse Haar: a change d in an approximation coefficient moves each of its 4 pixels by d/2
    d_u = np.zeros(u.shape, dtype=np.float32)
    d_pix = np.repeat(np.repeat(d_ca / 2.0, 2, axis=0), 2, axis=1)
    d_u[: d_pix.shape[0], : d_pix.shape[1]] = d_pix
    target = u + d_u
    blue, green = rgb[:, :, 2].astype(np.float32), rgb[:, :, 1].astype(np.float32)
    out = rgb.copy()
    _shift_u(out, blue, green, d_u)
    # Pixels are integers: in flat areas every pixel of a block rounds the same way, which can push
    # the decoded singular value out of its bin. Two correction passes aim the decoder's (integer) U
    # at the target instead.
    for _ in range(2):
        residual = target - _u_channel(out)
        residual[np.abs(residual) < 0.5] = 0.0
        if not residual.any():
            break
        # from the rounded pixels, so saturated channels keep moving where they still can
        _shift_u(out, out[:, :, 2].astype(np.float32), out[:, :, 1].astype(np.float32), residual)
    return out


def _top_singular(blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Largest singular value and its singular vectors of each 4x4 block (via eigh of B^T B)."""
    gram = np.einsum("nki,nkj->nij", blocks, blocks)
    values, vectors = np.linalg.eigh(gram)
    s0 = np.sqrt(np.maximum(values[:, -1], 0.0))
    v0 = vectors[:, :, -1]
    u0 = np.einsum("nij,nj->ni", blocks, v0)
    zero = s0 < 1e-9
    u0[~zero] /= s0[~zero, None]
    u0[zero] = 0.5  # an all-zero block: any unit vectors do
    v0[zero] = 0.5
    return s0, u0, v0


def _shift_u(out: np.ndarray, blue: np.ndarray, green: np.ndarray, d_u: np.ndarray) -> None:
    """Set B and G so U moves by d_u and Y stays: B += 2.032 dU, G -= 0.395 dU (OpenCV's YUV inverse)."""
    out[:, :, 2] = np.clip(np.rint(blue + 2.032 * d_u), 0, 255)
    out[:, :, 1] = np.clip(np.rint(green - 0.395 * d_u), 0, 255)


def extract(rgb: np.ndarray) -> str:
    """Decode the 32-bit payload as hex, as imwatermark's WatermarkDecoder('bits', 32) would (vectorised).

    Decoding always yields 32 bits: whether they mean anything is decided by comparing them with the
    payload of the variant id the metadata names.
    """
    blocks, _, _ = _approx_blocks(_u_channel(rgb))
    s0 = np.sqrt(np.maximum(np.linalg.eigvalsh(np.einsum("nki,nkj->nij", blocks, blocks))[:, -1], 0.0))
    score = ((s0 % SCALE) > SCALE * 0.5).astype(np.float64)
    idx = np.arange(len(blocks)) % PAYLOAD_BITS
    means = np.bincount(idx, weights=score, minlength=PAYLOAD_BITS) / np.maximum(1, np.bincount(idx, minlength=PAYLOAD_BITS))
    value = 0
    for mean in means:
        value = (value << 1) | int(mean * 255 > 127)
    return value.to_bytes(PAYLOAD_BITS // 8, "big").hex()


def extract_with_library(rgb: np.ndarray) -> str:
    """The same decoding through invisible-watermark itself (slow; used to cross-check)."""
    from imwatermark import WatermarkDecoder

    decoder = WatermarkDecoder("bits", PAYLOAD_BITS)
    bits = decoder.decode(np.ascontiguousarray(rgb[:, :, ::-1]), METHOD)
    value = 0
    for bit in bits:
        value = (value << 1) | int(bool(bit))
    return value.to_bytes(PAYLOAD_BITS // 8, "big").hex()


def bit_errors(a_hex: str, b_hex: str) -> int:
    return (int(a_hex, 16) ^ int(b_hex, 16)).bit_count()
