"""HTML for variant cards, findings, history diffs and kit previews. Pure functions: data in, HTML out."""

from __future__ import annotations

import difflib
from html import escape

from studio.channels import get_channel

VERDICT_COLOURS = {"pass": "#1B7F3B", "warn": "#B26A00", "block": "#B3261E", None: "#666"}
SEVERITY_COLOURS = {"block": "#F9D0CC", "warn": "#FDE7B8", "info": "#DCEBFA"}


def badge(verdict: str | None) -> str:
    colour = VERDICT_COLOURS.get(verdict, "#666")
    return f'<span class="verdict-badge" style="background:{colour}">{escape(verdict or "—")}</span>'


def highlight(text: str, findings: list[dict]) -> str:
    """The text with each finding's span marked; hovering shows the message and suggestion."""
    spans = sorted((f for f in findings if f.get("end", 0) > f.get("start", 0)), key=lambda f: f["start"])
    out, pos = [], 0
    for f in spans:
        if f["start"] < pos:
            continue  # overlapping span: the first one is already marked
        out.append(escape(text[pos:f["start"]]))
        tip = f"{f['category']} ({f['severity']}): {f['message']}" + (f" — {f['suggestion']}" if f.get("suggestion") else "")
        out.append(f'<mark class="finding {escape(f["severity"])}" style="background:{SEVERITY_COLOURS[f["severity"]]}" '
                   f'title="{escape(tip)}">{escape(text[f["start"]:f["end"]])}</mark>')
        pos = f["end"]
    out.append(escape(text[pos:]))
    return "".join(out).replace("\n", "<br>")


def findings_list(findings: list[dict]) -> str:
    if not findings:
        return '<p class="no-findings">No findings.</p>'
    items = []
    for f in findings:
        where = f" in <b>{escape(f['field'])}</b>" if f.get("field") else ""
        quoted = f" “{escape(f['text'])}”" if f.get("text") else ""
        suggestion = f"<br><i>Suggestion: {escape(f['suggestion'])}</i>" if f.get("suggestion") else ""
        # the learned second opinion says so, with its score (a rule's finding has no score)
        by_model = (f' <span class="model-score">(model, score {f["score"]:.2f})</span>'
                    if f.get("source") == "model" and f.get("score") is not None else "")
        items.append(f'<li class="finding-item {escape(f["severity"])}"><b>{escape(f["severity"])}</b> · '
                     f'{escape(f["category"])}{where}{quoted}: {escape(f["message"])} '
                     f'<span class="rule">[{escape(f["rule"])}]</span>{by_model}{suggestion}</li>')
    return f'<ul class="findings">{"".join(items)}</ul>'


def image_url(path: str | None) -> str | None:
    return f"/gradio_api/file={path}" if path else None


def variant_card(variant: dict, passages: list[dict] | None = None) -> str:
    """One result card: copy by field with findings marked, image, verdict, grounding, AI label."""
    findings = variant.get("findings", [])
    provenance = variant.get("provenance") or {}
    fields = []
    for name, text in variant["copy"].items():
        own = [f for f in findings if f.get("field") == name]
        fields.append(f'<div class="copy-field"><div class="field-name">{escape(name)}'
                      f'{field_source((provenance.get("fields") or {}).get(name))}</div>'
                      f'<div class="field-text">{highlight(text, own)}</div></div>')
    if provenance.get("human_edit"):
        edit = provenance["human_edit"]
        fields.insert(0, f'<p class="human-edit">Edited by {escape(str(edit.get("by")))} '
                         f'(from version {escape(str(edit.get("from_version")))})</p>')
    image = ""
    if variant.get("image"):
        image = f'<img class="variant-image" src="{image_url(variant["image"])}" alt="AI-generated creative for {escape(variant["id"])}">'
    labels = variant.get("labels") or {}
    disclosures = ", ".join(labels.get("copy_disclosures", [])) or "AI-generated"
    platform_label = _platform_ad_label(variant)
    if platform_label:
        disclosures += f" (the platform adds its own '{platform_label}' label to the ad)"
    grounding = ""
    if passages:
        items = "".join(f"<li><b>{escape(p.get('document', ''))}</b>: {escape(p.get('text', '')[:160])}…</li>" for p in passages)
        grounding = f"<details><summary>Grounded on {len(passages)} brand-voice passages</summary><ul>{items}</ul></details>"
    elif variant.get("provenance", {}).get("retrieved_passages"):
        ids = ", ".join(escape(i) for i in variant["provenance"]["retrieved_passages"])
        grounding = f"<details><summary>Grounded on brand-voice passages</summary><p>{ids}</p></details>"
    override = ""
    if variant.get("override"):
        o = variant["override"]
        override = f'<p class="override">Approved over a block verdict by {escape(o["by"])}: {escape(o["reason"])}</p>'
    return (
        f'<div class="variant-card" data-variant="{escape(variant["id"])}">'
        f'<div class="card-head"><code>{escape(variant["id"])}</code> v{variant["version"]} · {escape(variant["channel"])} · '
        f'{escape(variant["segment"])} · {escape(variant["market"])} · <span class="status">{escape(variant["status"])}</span> {badge(variant.get("verdict"))}</div>'
        f'<div class="card-body"><div class="card-copy">{"".join(fields)}</div>{image}</div>'
        f'{findings_list(findings)}{grounding}{override}'
        f'<div class="ai-label">AI label: {escape(disclosures)} · machine-readable metadata on export</div></div>'
    )


def field_source(info: dict | None) -> str:
    """Who wrote a field: the content modules it was composed from (ids on hover), the model, or the brief."""
    if not info or not info.get("writer"):
        return ""
    modules = info.get("modules") or []
    if info["writer"].startswith("composed") and modules:
        label = f"{info['writer']} · {len(modules)} module{'s' if len(modules) != 1 else ''}"
        if info.get("generic"):
            label += " · generic"
        tip = "modules: " + ", ".join(modules)
    elif info["writer"].startswith("composed"):
        label, tip = "from the brief · generic", "no module fitted; the brief's own words"
    else:
        label, tip = info["writer"], f"written by the {info['writer']}"
    kind = "composed" if info["writer"].startswith("composed") else "model"
    return f' <span class="field-source {kind}" title="{escape(tip)}">{escape(label)}</span>'


def version_diff(old: dict[str, str], new: dict[str, str]) -> str:
    """Word-level diff of two versions' copy, field by field."""
    rows = []
    for name in dict.fromkeys([*old, *new]):
        a, b = (old.get(name) or "").split(), (new.get(name) or "").split()
        parts = []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b).get_opcodes():
            if op == "equal":
                parts.append(escape(" ".join(a[i1:i2])))
            if op in ("delete", "replace"):
                parts.append(f'<del>{escape(" ".join(a[i1:i2]))}</del>')
            if op in ("insert", "replace"):
                parts.append(f'<ins>{escape(" ".join(b[j1:j2]))}</ins>')
        rows.append(f'<div class="diff-field"><b>{escape(name)}</b>: {" ".join(parts)}</div>')
    return "".join(rows)


def palette(colours: dict[str, str]) -> str:
    swatches = "".join(
        f'<div class="swatch"><div style="background:{escape(v)};width:64px;height:40px;border-radius:6px;border:1px solid #ccc"></div>'
        f'<small>{escape(k)}<br>{escape(v)}</small></div>' for k, v in colours.items())
    return f'<div class="palette" style="display:flex;gap:12px">{swatches}</div>'


CSS = """
.verdict-badge {color:#fff;padding:2px 8px;border-radius:10px;font-size:0.85em;font-weight:600}
.variant-card {border:1px solid var(--border-color-primary);border-radius:10px;padding:12px;margin-bottom:12px}
.card-head {margin-bottom:8px}
.card-body {display:flex;gap:16px;align-items:flex-start}
.card-copy {flex:1}
.variant-image {max-width:280px;max-height:280px;border-radius:6px}
.field-source {font-size:0.75em;font-weight:normal;padding:0 6px;border-radius:8px;margin-left:6px}
.field-source.composed {background:#E3F1E6;color:#1B5E2A}
.field-source.model {background:#E8E4F6;color:#40307A}
.human-edit {font-size:0.85em;color:#555}
.field-name {font-size:0.8em;text-transform:uppercase;opacity:0.7}
.field-text {margin-bottom:8px}
mark.finding {padding:0 2px;border-radius:3px;color:#000}
.findings {margin:6px 0 6px 18px}
.finding-item.block b:first-child {color:#B3261E}
.finding-item.warn b:first-child {color:#B26A00}
.ai-label {font-size:0.85em;opacity:0.8;margin-top:6px}
.override {color:#B3261E;font-weight:600}
del {background:#F9D0CC;text-decoration:line-through} ins {background:#CFF5D6;text-decoration:none}
"""

# Keyboard shortcuts for reviewers (ignored while typing in a field): j/k next/previous, a approve.
KEYBOARD_JS = """
<script>
document.addEventListener('keydown', (e) => {
  const tag = (e.target.tagName || '').toLowerCase();
  if (['input', 'textarea', 'select'].includes(tag) || e.target.isContentEditable || e.ctrlKey || e.metaKey || e.altKey) return;
  const ids = {j: 'review-next', k: 'review-prev', a: 'review-approve'};
  const id = ids[e.key];
  if (!id) return;
  const button = document.getElementById(id);
  if (button) { e.preventDefault(); button.click(); }
});
</script>
"""


def _platform_ad_label(variant: dict) -> str | None:
    """The ad label the platform prints on this channel's placements, so the reviewer knows it is not missing."""
    try:
        return get_channel(variant["channel"]).platform_ad_label.get(variant.get("market"))
    except (KeyError, ValueError):
        return None
