"""Alt text for a creative, written from its own parts (what is behind the text, the headline, the button, the
logo), in the copy's language: a short one (at most 125 characters: screen readers and many platforms cut
longer alt text) and an extended description with everything the image says, for the IPTC accessibility fields.
"""

from __future__ import annotations

MAX_ALT_CHARS = 125
IPTC_CORE_NS = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"

SCENES = {
    "en": {"template": "brand colours", "asset": "a product photo",
           "diffusers": "an AI-generated picture", "openai": "an AI-generated picture"},
    "zh": {"template": "品牌色背景", "asset": "产品照片", "diffusers": "AI生成的画面", "openai": "AI生成的画面"},
}
PLACES = {
    "en": {"top-left": "top left", "top-right": "top right", "bottom-left": "bottom left",
           "bottom-right": "bottom right", "top-center": "top centre", "bottom-center": "bottom centre"},
    "zh": {"top-left": "左上角", "top-right": "右上角", "bottom-left": "左下角", "bottom-right": "右下角",
           "top-center": "顶部居中", "bottom-center": "底部居中"},
}


def _lang(language: str) -> str:
    return "zh" if (language or "").lower().startswith("zh") else "en"


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: max(1, limit - 1)].rstrip(" ,，、;；:") + "…"


def _short(lang: str, brand: str, scene: str, headline: str, cta: str | None, logo: str) -> str:
    if lang == "zh":
        cta_part = f"，按钮“{cta}”" if cta else ""
        return f"{brand}广告图：{scene}上写着“{headline}”{cta_part}，{logo}是品牌标志。"
    cta_part = f', button "{cta}"' if cta else ""
    return f'{brand} ad: "{headline}" on {scene}{cta_part}, logo {logo}.'


def alt_texts(*, brand: str, language: str, headline: str, cta: str | None, backend: str, logo_placement: str,
              label_text: str = "") -> tuple[str, str]:
    """(alt text of at most MAX_ALT_CHARS, extended description). The headline is shortened first, then the
    button is left out, so the short text always says what the image says first."""
    lang = _lang(language)
    scene = SCENES[lang].get(backend, SCENES[lang]["template"])
    logo = PLACES[lang].get(logo_placement, logo_placement)
    headline = " ".join((headline or "").split())
    cta = " ".join(cta.split()) if cta else None
    alt = _short(lang, brand, scene, headline, cta, logo)
    if len(alt) > MAX_ALT_CHARS and cta:
        alt = _short(lang, brand, scene, headline, None, logo)
    if len(alt) > MAX_ALT_CHARS:
        room = MAX_ALT_CHARS - (len(alt) - len(headline))
        alt = _short(lang, brand, scene, _clip(headline, room), None, logo)
    if lang == "zh":
        extended = (f"{brand}的广告图。背景：{scene}。标题：“{headline}”。" + (f"按钮：“{cta}”。" if cta else "")
                    + f"{logo}有{brand}的标志。" + (f"角落标注“{label_text}”。" if label_text else ""))
    else:
        stop = "" if headline.endswith((".", "!", "?")) else "."
        extended = (f"{brand} advertisement. Background: {scene}. Headline: \"{headline}\"{stop} "
                    + (f"Button: \"{cta}\". " if cta else "") + f"{brand} logo at the {logo}. "
                    + (f"Marked \"{label_text}\" in a corner." if label_text else ""))
    return alt, extended.strip()


def alt_text_xmp(iptc: dict) -> str:
    """XMP elements for Iptc4xmpCore:AltTextAccessibility and ExtDescrAccessibility (language alternatives)."""
    from html import escape

    out = ""
    lang = iptc.get("alt_text_language") or "x-default"
    for key, name in (("alt_text", "AltTextAccessibility"), ("ext_description", "ExtDescrAccessibility")):
        if iptc.get(key):
            value = escape(iptc[key], quote=False)
            items = f'<rdf:li xml:lang="x-default">{value}</rdf:li>'
            if lang != "x-default":
                items += f'<rdf:li xml:lang="{escape(lang)}">{value}</rdf:li>'
            out += f"   <Iptc4xmpCore:{name}><rdf:Alt>{items}</rdf:Alt></Iptc4xmpCore:{name}>\n"
    return out

