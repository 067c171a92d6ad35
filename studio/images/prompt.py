"""The image prompt: written from the brief, the audience segment and the kit's visual style."""

from __future__ import annotations


def image_prompt(kit, segment, brief_text: str, *, max_chars: int = 900) -> str:
    visual = kit.visual
    parts = [f"Marketing photograph for the brand {kit.name}."]
    brief = " ".join((brief_text or "").split())
    if brief:
        parts.append(f"Brief: {brief}.")
    if segment is not None:
        audience = f"Audience: {segment.name}"
        if getattr(segment, "description", ""):
            audience += f", {segment.description.rstrip('.')}"
        if getattr(segment, "interests", None):
            audience += f"; interests: {', '.join(segment.interests[:5])}"
        parts.append(audience + ".")
    if visual.style:
        parts.append(f"Visual style: {' '.join(visual.style.split())}.")
    p = visual.palette
    parts.append(f"Colour palette: {p.primary}, {p.secondary}, {p.accent} on {p.background}.")
    parts.append("Leave calm negative space on the left for a headline. No text, no letters, no logos, no watermarks.")
    text = " ".join(parts)
    return text if len(text) <= max_chars else text[: max_chars - 1].rsplit(" ", 1)[0] + "…"
