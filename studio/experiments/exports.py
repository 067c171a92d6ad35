"""The ad platforms' own bulk-upload files for an experiment's variants, so nobody retypes the copy.

Formats, with the column names and limits the platforms document:
- `google-ads-rsa`: a Google Ads Editor CSV of responsive search ads (Google Ads Editor Help, "Import a CSV file
  in Google Ads Editor - CSV file columns": https://support.google.com/google-ads/editor/answer/57747, which asks
  for English headers and ignores their case and spaces; responsive search ads:
  https://support.google.com/google-ads/answer/7684791 and the API's ResponsiveSearchAdInfo). Columns
  Campaign, Ad group, Ad type, Labels, Headline 1..15, Description 1..4, Path 1, Path 2, Final URL.
  Limits: 3-15 headlines of at most 30 characters, 2-4 descriptions of at most 90, paths of at most 15.
- `meta`: a Meta Ads Manager bulk-import sheet for single-image ads (Meta Business Help, "Create ads in bulk
  with Ads Manager import": https://www.facebook.com/business/help/1571591999823337; image ad specs:
  https://www.facebook.com/business/ads-guide/image). Columns Campaign Name, Ad Set Name, Ad Name, Body
  (primary text), Title (headline), Link Description, Image File Name, Call to Action, Link. Limits as Meta's
  ad guide recommends them (text beyond is cut off in the feed): primary text 125, headline 40, description 30.
- `csv`: a generic email-tool CSV: variant_id, subject, preheader, body, cta, disclosures, ai_generated.

Labels and disclosures travel with the copy: the approved copy already carries the market's and channel's
disclosures (the workflow put them into the text the reviewer approved), and each row also names them
(Google: the ad's Labels; Meta: the ad name's suffix is the variant id, the disclosures stay in Body; email: a
disclosures column). The variant id is in every row (Google: a `studio:<id>` label; Meta: Ad Name; email:
variant_id), which is how a platform's report is matched back. Every cell goes through
studio.spreadsheet.safe_cell.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
from pathlib import Path

from studio.spreadsheet import safe_cell

FORMATS = ("google-ads-rsa", "meta", "csv")
FORMAT_CHANNELS = {"google-ads-rsa": ("search_ad",), "meta": ("facebook_ad", "instagram"), "csv": ("email",)}

GOOGLE_HEADLINES, GOOGLE_DESCRIPTIONS = 15, 4
GOOGLE_LIMITS = {"headline": 30, "description": 90, "path": 15, "min_headlines": 3, "min_descriptions": 2}
GOOGLE_COLUMNS = (["Campaign", "Ad group", "Ad type", "Labels"]
                  + [f"Headline {i}" for i in range(1, GOOGLE_HEADLINES + 1)]
                  + [f"Description {i}" for i in range(1, GOOGLE_DESCRIPTIONS + 1)]
                  + ["Path 1", "Path 2", "Final URL"])
META_LIMITS = {"Body": 125, "Title": 40, "Link Description": 30}
META_COLUMNS = ["Campaign Name", "Ad Set Name", "Ad Name", "Body", "Title", "Link Description", "Image File Name",
                "Call to Action", "Link"]
EMAIL_COLUMNS = ["variant_id", "subject", "preheader", "body", "cta", "disclosures", "ai_generated"]
# Meta's CTA button is a fixed list; the copy's own CTA line maps onto the closest button type.
META_CTA = (("shop", "SHOP_NOW"), ("buy", "SHOP_NOW"), ("sign up", "SIGN_UP"), ("book", "BOOK_TRAVEL"),
            ("download", "DOWNLOAD"), ("contact", "CONTACT_US"), ("order", "ORDER_NOW"))


class ExportError(ValueError):
    """A variant cannot be written in this platform's format (wrong channel, over a documented limit)."""


def _label_cell(disclosures: list[str], variant_id: str) -> str:
    return ";".join([f"studio:{variant_id}", *(f"disclosure:{d}" for d in disclosures if len(d) <= 40)])


def _field_order(item: tuple[str, str]) -> tuple[str, int]:
    """headline_2 before headline_10."""
    name, _ = item
    stem, _, number = name.rpartition("_")
    return (stem, int(number)) if number.isdigit() else (name, 0)


def google_rows(experiment: dict, variants: list[dict], final_url: str = "") -> list[dict]:
    rows = []
    for v in variants:
        heads = [t for k, t in sorted(v["copy"].items(), key=_field_order) if k.startswith("headline") and t]
        descs = [t for k, t in sorted(v["copy"].items(), key=_field_order) if k.startswith("description") and t]
        where = f"variant '{v['id']}'"
        if not GOOGLE_LIMITS["min_headlines"] <= len(heads) <= GOOGLE_HEADLINES:
            raise ExportError(f"{where}: a responsive search ad needs 3-15 headlines, it has {len(heads)}")
        if not GOOGLE_LIMITS["min_descriptions"] <= len(descs) <= GOOGLE_DESCRIPTIONS:
            raise ExportError(f"{where}: a responsive search ad needs 2-4 descriptions, it has {len(descs)}")
        for text in heads:
            if len(text) > GOOGLE_LIMITS["headline"]:
                raise ExportError(f"{where}: headline '{text}' is over Google's 30 characters")
        for text in descs:
            if len(text) > GOOGLE_LIMITS["description"]:
                raise ExportError(f"{where}: description '{text}' is over Google's 90 characters")
        row = {c: "" for c in GOOGLE_COLUMNS}
        row.update({"Campaign": experiment["name"], "Ad group": f"{experiment['id']} {v['segment']}",
                    "Ad type": "Responsive search ad", "Labels": _label_cell(v["disclosures"], v["id"]),
                    "Final URL": final_url})
        row.update({f"Headline {i}": t for i, t in enumerate(heads, 1)})
        row.update({f"Description {i}": t for i, t in enumerate(descs, 1)})
        rows.append(row)
    return rows


def _meta_cta(text: str) -> str:
    lowered = text.lower()
    return next((button for word, button in META_CTA if word in lowered), "LEARN_MORE")


def meta_rows(experiment: dict, variants: list[dict], final_url: str = "") -> list[dict]:
    rows = []
    for v in variants:
        copy = v["copy"]
        row = {"Campaign Name": experiment["name"], "Ad Set Name": f"{experiment['id']} {v['segment']}",
               "Ad Name": v["id"], "Body": copy.get("primary_text") or copy.get("caption", ""),
               "Title": copy.get("headline", ""), "Link Description": copy.get("description", ""),
               "Image File Name": Path(v["image"]).name if v.get("image") else "",
               "Call to Action": _meta_cta(copy.get("cta", "")), "Link": final_url}
        for column, limit in META_LIMITS.items():
            if len(row[column]) > limit:
                raise ExportError(f"variant '{v['id']}': {column} is {len(row[column])} characters, over Meta's {limit}")
        rows.append(row)
    return rows


def email_rows(experiment: dict, variants: list[dict], final_url: str = "") -> list[dict]:
    return [{"variant_id": v["id"], "subject": v["copy"].get("subject", ""), "preheader": v["copy"].get("preheader", ""),
             "body": v["copy"].get("body", ""), "cta": v["copy"].get("cta", ""),
             "disclosures": " | ".join(v["disclosures"]), "ai_generated": "true"} for v in variants]


def render_csv(columns: list[str], rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    # UTF-8 with a byte-order mark: Excel and Google Ads Editor then read 中文 and ™ correctly.
    return buffer.getvalue().encode("utf-8-sig")


def write_export(experiment: dict, variants: list[dict], fmt: str, out_dir: Path, final_url: str = "") -> list[Path]:
    """Write the platform file (and, for Meta, the images it names) into out_dir; nothing is written when a
    variant does not fit the format. `final_url` fills Google's Final URL and Meta's Link (else left for the
    marketer to fill in the platform). Returns the files written."""
    if fmt not in FORMATS:
        raise ExportError(f"--format: unknown format '{fmt}' (use {', '.join(FORMATS)})")
    if final_url and not re.fullmatch(r"https?://[^\s,]+", final_url):
        raise ExportError(f"--final-url: '{final_url}' is not an http(s) URL")
    wrong = [v["id"] for v in variants if v["channel"] not in FORMAT_CHANNELS[fmt]]
    if wrong:
        raise ExportError(f"--format {fmt} is for {' or '.join(FORMAT_CHANNELS[fmt])} variants; "
                          f"{wrong[0]} is {variants[0]['channel']}")
    builders = {"google-ads-rsa": (GOOGLE_COLUMNS, google_rows), "meta": (META_COLUMNS, meta_rows),
                "csv": (EMAIL_COLUMNS, email_rows)}
    columns, build = builders[fmt]
    data = render_csv(columns, build(experiment, variants, final_url))  # raises before anything is written
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{experiment['id']}-{fmt}.csv"
    written = [target]
    if fmt == "meta":  # the sheet names the images; they go next to it, labels and C2PA intact (byte copy)
        for v in variants:
            if v.get("image"):
                image = out_dir / Path(v["image"]).name
                shutil.copyfile(v["image"], image)
                written.append(image)
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{target.name}.")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, target)
    return written
