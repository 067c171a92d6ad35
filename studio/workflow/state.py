"""The state one variant's thread carries through the graph (checkpointed: JSON-friendly values only)."""

from __future__ import annotations

from typing import TypedDict


class VariantState(TypedDict, total=False):
    # what was asked
    variant_id: str
    request_id: str
    kit_id: str
    segment_id: str
    channel_id: str
    market: str
    brief: dict
    created_by: str
    slot: int  # the variant's slot among its request's variants of its channel (threads begun before it: absent)
    # the version being produced
    version: int
    source: str  # generated | revised
    note: str | None  # the reviewer's note that asked for this version
    feedback: list[str]  # findings or notes the writer must address
    revise_round: int
    # stage outputs
    passages: list[dict]
    copy: dict
    candidates: list[dict]
    provenance: dict
    report: dict
    image: dict | None
    labels: dict
    stage: str  # last finished stage, for progress displays
    decision: dict | None
