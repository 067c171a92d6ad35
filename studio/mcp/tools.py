"""What each MCP tool does: plain functions of (the acting user, the arguments) -> a JSON-able dict.

They call the same services as the CLI and the app (kits, checker, workflow, review queue), which check
the user's role themselves; a refused or bad request raises, and studio.mcp.server turns the exception into
the one-line tool error the CLI would print. No MCP types here, so the bodies read like the CLI's.
"""

from __future__ import annotations

from studio.config import get_settings


def list_kits(user: str) -> dict:
    from studio.kits import list_kits as load_all

    kits = []
    for loaded in load_all(get_settings().kits_dir):
        kit = loaded.kit
        kits.append({
            "id": kit.id, "name": kit.name, "languages": kit.languages, "markets": [m.value for m in kit.markets],
            "default_channels": kit.default_channels,
            "segments": [{"id": s.id, "name": s.name, "description": s.description, "lifecycle_stage": s.lifecycle_stage,
                          "language": s.language, "preferred_channels": s.preferred_channels} for s in kit.segments],
        })
    from studio.channels import all_channels

    channels = [{"id": c.id, "name": c.name, "paid": c.paid} for c in all_channels()]
    return {"kits": kits, "channels": channels}


def show_kit_voice(user: str, kit: str) -> dict:
    from studio.kits.cache import cached_kit

    brand = cached_kit(kit, get_settings().kits_dir).kit
    return {"id": brand.id, "name": brand.name, "markets": [m.value for m in brand.markets],
            **brand.model_dump(mode="json", include={"voice", "vocabulary", "claims", "disclosures"})}


def check_copy(user: str, text: str, kit: str | None = None, channel: str | None = None, market: str | None = None,
               brief: str | None = None, product: str | None = None, offer: str | None = None) -> dict:
    """The check contract's JSON ({"verdict", "findings"}), validated as `studio check` validates its options."""
    from studio.checks import get_checker
    from studio.checks.command import InputError, _brief, _channel, _market
    from studio.kits.cache import cached_kit
    from studio.limits import check_text

    if not text.strip():
        raise InputError("text: empty text, nothing to check")
    check_text(text, "text", "check_text_chars")
    checked_market = _market(market, "market: ")
    checked_channel = _channel(channel, "channel: ")
    checked_brief = _brief(brief, product, offer, "brief/product/offer: ")
    loaded = cached_kit(kit, get_settings().kits_dir) if kit else None
    report = get_checker(loaded).check_text(text, channel=checked_channel, market=checked_market, brief=checked_brief)
    return report.to_json()


def generate_variants(user: str, kit: str, segment: str, channels: list[str], brief: str, variants: int = 1,
                      market: str | None = None, product: str = "", offer: str = "", objective: str = "") -> dict:
    from studio.domain import Brief
    from studio.limits import check_text
    from studio.workflow import GenerateRequest, generate

    check_text(brief, "brief", "brief_chars")
    for name, value in (("product", product), ("offer", offer), ("objective", objective)):
        check_text(value, name, "brief_field_chars")
    request = GenerateRequest(kit=kit, segment=segment, channels=channels, market=market, variants=variants,
                              brief=Brief(text=brief, product=product, offer=offer, objective=objective))
    return {"variants": generate(request, by=user)}


def list_review_queue(user: str, status: str | None = None, kit: str | None = None, channel: str | None = None,
                      verdict: str | None = None, batch_id: str | None = None) -> dict:
    from studio.review import ReviewQueue

    return {"variants": ReviewQueue().list(status=status, kit=kit, channel=channel, verdict=verdict, batch_id=batch_id)}


def show_variant(user: str, variant_id: str) -> dict:
    from studio.review import ReviewQueue

    return ReviewQueue().show(variant_id, history=True)


def decide_variant(user: str, variant_id: str, decision: str, version: int, note: str | None = None,
                   override_reason: str | None = None) -> dict:
    """A reviewer's decision on the version they read, as `studio review approve|reject|request-changes`."""
    from studio.workflow import decide

    return decide(variant_id, decision, by=user, note=note or None, override_reason=override_reason or None,
                  version=version)
