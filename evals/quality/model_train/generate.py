"""Collect NEW outputs of the embedded SmolLM2-135M to train the garble model (scripts/train_garble_model.py).

Runs evals/quality/generate_outputs.py's collection loop with briefs that no evaluation file uses (checked when
this was written: none of these products or briefs appears in evals/quality/*.jsonl, blind/ or scored_not_fixed/),
writing to evals/quality/model_train/{zh,en}_model_outputs.jsonl. Unlabelled: see README.md in this folder.

    source scripts/offline-env.sh && nice -n 10 .venv/bin/python evals/quality/model_train/generate.py --kit chayuan
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import generate_outputs  # noqa: E402  (evals/quality/generate_outputs.py)

TRAIN_BRIEFS = {
    "chayuan": [
        {"text": "端午节前推荐茉莉花茶，配粽子解腻。", "product": "茉莉银毫", "offer": "两罐立减20元"},
        {"text": "618 会员日，全店茶叶满减。", "product": "茶园里会员日", "offer": "满300减50"},
        {"text": "介绍新出的青瓷盖碗，适合办公室泡茶。", "product": "青瓷盖碗", "offer": "买茶送杯垫"},
        {"text": "夏至推荐一款凤凰单丛，讲讲香型。", "product": "凤凰单丛蜜兰香", "key_message": "高山单株，手工炭焙"},
        {"text": "新客首单：普洱小沱茶试饮装上线。", "product": "普洱小沱茶", "offer": "试饮装9.9元包邮"},
        {"text": "七夕送礼，推荐花果茶礼盒。", "product": "花果茶礼盒", "offer": "免费刻字"},
        {"text": "秋分以后喝点乌龙，介绍铁观音的炭焙工艺。", "product": "安溪铁观音", "key_message": "传统炭焙，回甘持久"},
        {"text": "教师节给老师送茶，推荐明前碧螺春。", "product": "洞庭碧螺春", "offer": "满2件9折"},
    ],
    "northpeak": [
        {"text": "Spring trail running: the Talon trail shoe for muddy paths", "product": "Talon Trail Shoe", "offer": "free returns"},
        {"text": "Winter camping with the Ember sleeping bag", "product": "Ember Sleeping Bag", "key_message": "warm to -10 C"},
        {"text": "Back to school: the Campus 18 daypack", "product": "Campus 18", "offer": "15% off with student ID"},
        {"text": "Summer hiking socks that last", "product": "Merino Hike Sock", "offer": "buy 3 pairs, get 1 free"},
        {"text": "Camp in the trees: the Larchwood hammock for a light pack", "product": "Larchwood Hammock", "offer": "free stuff sack"},
        {"text": "Night runs with the Lumen 400 rechargeable light", "product": "Lumen 400", "key_message": "four hours on one charge"},
        {"text": "Trekking poles that fold into your pack", "product": "Switchgrass Trekking Poles", "offer": "20% off this weekend"},
        {"text": "Hot coffee at the summit: the Summit Flask", "product": "Summit Flask", "offer": "free engraving"},
    ],
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kit", choices=sorted(TRAIN_BRIEFS), required=True)
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    lang = "zh" if args.kit == "chayuan" else "en"
    generate_outputs.BRIEFS = {args.kit: TRAIN_BRIEFS[args.kit]}
    sys.argv = [sys.argv[0], "--out", str(HERE / f"{lang}_model_outputs.jsonl"), "--limit", str(args.limit)]
    generate_outputs.main()


if __name__ == "__main__":
    main()
