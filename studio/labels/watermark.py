"""Invisible watermark: a keyed 64-bit mark id with Reed-Solomon error correction and a check value.

Why not invisible-watermark's dwtDctSvd (the previous method): its bits live in 4x4 DWT blocks anchored to
the image's pixel grid, so a 50% resize or a 10% crop turns them into noise. This mark is built for the
platforms instead:

- **Tiled, relative to the picture**: one 16x16-cell tile repeats with a period of a quarter of the
  image's shorter side, added to luminance as a smooth +-AMPLITUDE pattern. A resize keeps the period
  relative to the picture; a crop only shifts its phase and changes the shorter side by at most the crop.
- **Search on decoding**: for each candidate period (PERIOD_FACTORS around short/4) the whitened
  luminance is resampled so that the period is 64 px, all tiles are folded onto one, and a keyed pilot
  (64 of the 256 cells) is found by FFT cross-correlation, which gives the phase. The other 192 cells
  carry the payload.
- **Payload**: mark id (64 bits) + check value (26 bits, HMAC of the id under the key), coded with the
  rate-1/2 K=7 convolutional code (`conv_code.py`) into 192 bits and decoded with soft Viterbi, which
  corrects around 10% flipped cells. The check value must then match: Viterbi always returns some word,
  and for an unmarked image that word's check matches with probability 2^-26 per decoded candidate, so
  an unmarked image is reported as unmarked, not as a near miss.
- **Keyed**: the cell layout, the signs and the check value come from a secret key (settings / the
  secrets folder), so without the key the mark can neither be read nor forged.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from studio.labels import conv_code

METHOD = "studio-tiled-cc-v1"
ID_BYTES = 8
CHECK_BITS = 26
INFO_BITS = ID_BYTES * 8 + CHECK_BITS
CODE_BITS = 2 * (INFO_BITS + 6)  # rate 1/2, K=7 zero tail: 192 = the data cells of a tile
CELLS = 16  # a tile is CELLS x CELLS cells
CANON = 64  # the tile's size in pixels on the decoder's canonical grid (4 px per cell)
PILOT_CELLS = CELLS * CELLS - CODE_BITS
TILES_PER_SHORT_SIDE = 4
AMPLITUDE = 3.0  # luminance levels (of 255) added or taken away in flat areas
MAX_GAIN = 2.5  # busy texture hides a stronger mark (and drowns a weak one): up to 2.5x there
MIN_SIDE = 256
MIN_PILOT_SCORE = 4.5  # pilot correlation peak, in standard deviations of the correlation surface
# Candidate period factors (relative to short/4 of the file being decoded): a 10% crop of the shorter side
# makes the period 1/0.9 of short/4; a screenshot with a frame around the picture makes it smaller.
PERIOD_FACTORS = tuple(float(f) for f in np.exp(np.linspace(np.log(0.8), np.log(1.2), 29)))
KEY_FILE = "watermark.key"


def watermark_key(settings=None) -> bytes:
    """The secret watermark key: created once in the secrets folder (Settings.secret_dir)."""
    from studio.security.secrets import secret_bytes

    return secret_bytes(KEY_FILE, settings)


def mark_id_for(variant_id: str, key: bytes) -> str:
    """The variant's 64-bit mark id (hex): keyed, so ids cannot be predicted or linked without the key."""
    return hmac.new(key, b"mark-id\0" + variant_id.encode("utf-8"), hashlib.sha256).digest()[:ID_BYTES].hex()


def _check_bits(mark_id: bytes, key: bytes) -> np.ndarray:
    digest = hmac.new(key, b"check\0" + mark_id, hashlib.sha256).digest()
    return np.unpackbits(np.frombuffer(digest, dtype=np.uint8))[:CHECK_BITS]


def _info_bits(mark_id: bytes, key: bytes) -> np.ndarray:
    return np.concatenate([np.unpackbits(np.frombuffer(mark_id, dtype=np.uint8)), _check_bits(mark_id, key)])


def encode_payload(mark_id_hex: str, key: bytes) -> np.ndarray:
    """The 192 coded bits (0/1) for a mark id."""
    if not re.fullmatch(r"[0-9a-fA-F]{%d}" % (2 * ID_BYTES), mark_id_hex or ""):
        raise ValueError(f"a mark id is {ID_BYTES} bytes (16 hex digits), not {mark_id_hex!r}")
    ident = bytes.fromhex(mark_id_hex)
    return conv_code.encode(_info_bits(ident, key))


@dataclass(frozen=True)
class _Layout:
    signs: np.ndarray  # (256,) +-1 per cell
    pilot: np.ndarray  # (64,) cell indices of the pilot
    data: np.ndarray  # (192,) cell index of each coded bit


@lru_cache(maxsize=8)
def _layout(key: bytes) -> _Layout:
    seed = int.from_bytes(hmac.new(key, b"layout", hashlib.sha256).digest()[:8], "big")
    rng = np.random.default_rng(seed)
    order = rng.permutation(CELLS * CELLS)
    signs = rng.choice(np.array([-1.0, 1.0]), size=CELLS * CELLS)
    return _Layout(signs=signs, pilot=np.sort(order[:PILOT_CELLS]), data=order[PILOT_CELLS:])


def _cell_values(bits: np.ndarray | None, layout: _Layout) -> np.ndarray:
    """+-1 per cell: the pilot's sign everywhere on the pilot, sign x (2b-1) on data cells (0 if bits None)."""
    values = np.zeros(CELLS * CELLS)
    values[layout.pilot] = layout.signs[layout.pilot]
    if bits is not None:
        values[layout.data] = layout.signs[layout.data] * (2.0 * bits - 1.0)
    return values


def _canonical_tile(values: np.ndarray) -> np.ndarray:
    """CANON x CANON float tile: cells as blocks, softened with a cyclic blur (no hard, visible edges)."""
    import cv2

    step = CANON // CELLS
    tile = np.kron(values.reshape(CELLS, CELLS), np.ones((step, step)))
    big = np.tile(tile, (3, 3)).astype(np.float32)
    big = cv2.GaussianBlur(big, (0, 0), sigmaX=1.0)
    tile = big[CANON:2 * CANON, CANON:2 * CANON]
    return tile / np.abs(tile).max()


def period_of(width: int, height: int) -> float:
    return min(width, height) / TILES_PER_SHORT_SIDE


def embed(rgb: np.ndarray, mark_id_hex: str, key: bytes, *, amplitude: float = AMPLITUDE) -> np.ndarray:
    """Add the tiled mark to an RGB uint8 array (luminance only; the same delta on R, G and B)."""
    import cv2

    h, w = rgb.shape[:2]
    if min(h, w) < MIN_SIDE:
        raise ValueError(f"image {w}x{h} is too small for the invisible watermark (needs {MIN_SIDE}px per side)")
    tile = _canonical_tile(_cell_values(encode_payload(mark_id_hex, key), _layout(key)))
    period = period_of(w, h)
    xs = (np.arange(w, dtype=np.float32) + 0.5) * (CANON / period) - 0.5
    ys = (np.arange(h, dtype=np.float32) + 0.5) * (CANON / period) - 0.5
    map_x = np.broadcast_to(np.mod(xs, CANON)[None, :], (h, w)).astype(np.float32)
    map_y = np.broadcast_to(np.mod(ys, CANON)[:, None], (h, w)).astype(np.float32)
    pattern = cv2.remap(tile.astype(np.float32), map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_WRAP)
    out = rgb.astype(np.float32) + (amplitude * _gain(_luma(rgb), period) * pattern)[:, :, None]
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def _gain(luma: np.ndarray, period: float) -> np.ndarray:
    """Per-pixel strength: 1 in flat areas, up to MAX_GAIN where the picture is busy at the cell scale."""
    import cv2

    sigma = max(1.0, period / CELLS)
    detail = luma - cv2.GaussianBlur(luma, (0, 0), sigmaX=sigma)
    activity = np.sqrt(cv2.GaussianBlur(detail * detail, (0, 0), sigmaX=2 * sigma))
    return np.clip(1.0 + activity / 12.0, 1.0, MAX_GAIN)


@dataclass
class Detection:
    """What the decoder found. `marked` only when the decoded word's keyed check value matched."""

    marked: bool
    mark_id: str | None = None
    pilot_score: float = 0.0
    period_factor: float | None = None
    bit_errors: int | None = None  # coded bits that differed from the corrected codeword
    soft_bits: np.ndarray | None = field(default=None, repr=False)

    def to_json(self) -> dict:
        return {"marked": self.marked, "mark_id": self.mark_id, "pilot_score": round(self.pilot_score, 2),
                "period_factor": None if self.period_factor is None else round(self.period_factor, 3),
                "bit_errors": self.bit_errors, "method": METHOD}


def _luma(rgb: np.ndarray) -> np.ndarray:
    rgb = rgb.astype(np.float32)
    return 0.299 * rgb[:, :, 0] + 0.587 * rgb[:, :, 1] + 0.114 * rgb[:, :, 2]


def _fold(luma: np.ndarray, period: float) -> np.ndarray:
    """Resample so the period is CANON px, whiten, and average every tile onto one CANON x CANON tile."""
    import cv2

    h, w = luma.shape
    scale = CANON / period
    size = (max(CANON, round(w * scale)), max(CANON, round(h * scale)))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    img = cv2.resize(luma, size, interpolation=interp)
    # The pattern's energy is at the cell scale; the picture's mostly below it.
    white = img - cv2.GaussianBlur(img, (0, 0), sigmaX=3.0)
    # Weigh each pixel by how quiet its neighbourhood is: in busy texture the picture drowns the mark,
    # in flat areas the mark is nearly all there is.
    local = np.sqrt(cv2.GaussianBlur(white * white, (0, 0), sigmaX=6.0)) + 0.5
    white = np.clip(white / local, -3.0, 3.0)
    ys, xs = np.indices(white.shape)
    index = (ys % CANON) * CANON + (xs % CANON)
    sums = np.bincount(index.ravel(), weights=white.ravel(), minlength=CANON * CANON)
    counts = np.bincount(index.ravel(), minlength=CANON * CANON)
    return (sums / np.maximum(counts, 1)).reshape(CANON, CANON)


@lru_cache(maxsize=8)
def _pilot_spectrum(key: bytes) -> np.ndarray:
    tile = _canonical_tile(_cell_values(None, _layout(key)))
    return np.conj(np.fft.fft2(tile - tile.mean()))


def _locate_pilot(folded: np.ndarray, key: bytes) -> tuple[float, int, int]:
    """(score, dy, dx): the cyclic shift at which the pilot correlates best, in std devs of the surface."""
    corr = np.real(np.fft.ifft2(np.fft.fft2(folded - folded.mean()) * _pilot_spectrum(key)))
    dy, dx = np.unravel_index(int(np.argmax(corr)), corr.shape)
    score = float((corr[dy, dx] - corr.mean()) / (corr.std() + 1e-12))
    return score, int(dy), int(dx)


def _soft_bits(folded: np.ndarray, dy: int, dx: int, key: bytes) -> np.ndarray:
    layout = _layout(key)
    aligned = np.roll(folded, (-dy, -dx), axis=(0, 1))
    step = CANON // CELLS
    # the centre 2x2 of each 4x4 cell: the softened edges carry the neighbours' values too
    cells = aligned.reshape(CELLS, step, CELLS, step)[:, 1:3, :, 1:3].mean(axis=(1, 3)).ravel()
    return cells[layout.data] * layout.signs[layout.data]


def _decode_bits(soft: np.ndarray, key: bytes) -> tuple[str, int] | None:
    """(mark id, coded bits read wrongly) when the decoded word's check value matches, else None."""
    scale = float(np.abs(soft).mean()) + 1e-12
    info = conv_code.decode(soft / scale)
    ident = np.packbits(info[: ID_BYTES * 8]).tobytes()
    if not np.array_equal(info[ID_BYTES * 8:], _check_bits(ident, key)):
        return None
    errors = int(((soft > 0).astype(np.uint8) != conv_code.encode(info)).sum())
    return ident.hex(), errors


def detect(rgb: np.ndarray, key: bytes, *, candidates: int = 3) -> Detection:
    """Search the candidate periods and phases for the mark; decode the best `candidates` pilot peaks."""
    h, w = rgb.shape[:2]
    if min(h, w) < 32:
        return Detection(marked=False)
    luma = _luma(rgb)
    base = period_of(w, h)
    found = []
    for factor in PERIOD_FACTORS:
        folded = _fold(luma, base * factor)
        score, dy, dx = _locate_pilot(folded, key)
        found.append((score, factor, folded, dy, dx))
    found.sort(key=lambda item: -item[0])
    # the grid steps ~1.5% in period; a copy between two steps smears the fold's far tiles: refine the best
    # candidates half a step either way
    half_step = (PERIOD_FACTORS[1] / PERIOD_FACTORS[0]) ** 0.5
    for _, factor, *_ in found[:candidates]:
        for refined in (factor / half_step, factor * half_step):
            folded = _fold(luma, base * refined)
            score, dy, dx = _locate_pilot(folded, key)
            found.append((score, refined, folded, dy, dx))
    found.sort(key=lambda item: -item[0])
    best = Detection(marked=False, pilot_score=found[0][0], period_factor=found[0][1])
    for score, factor, folded, dy, dx in found[:candidates]:
        if score < MIN_PILOT_SCORE:
            break
        soft = _soft_bits(folded, dy, dx, key)
        result = _decode_bits(soft, key)
        if result:
            mark_id, errors = result
            return Detection(marked=True, mark_id=mark_id, pilot_score=score, period_factor=factor,
                             bit_errors=errors, soft_bits=soft)
        if best.soft_bits is None:
            best.soft_bits = soft
    return best


def bit_errors(soft_bits: np.ndarray, mark_id_hex: str, key: bytes) -> int:
    """Coded bits the decoder read wrongly, against the codeword of a known mark id (for the benchmark)."""
    return int(((soft_bits > 0).astype(np.uint8) != encode_payload(mark_id_hex, key)).sum())
