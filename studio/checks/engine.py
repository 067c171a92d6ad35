"""The checker: runs the rule packs, the kit's rules, PII, profanity, voice fit and channel limits
over copy, and reports findings with offsets into the original text.
"""

from __future__ import annotations

import re

from studio.checks.accessibility import AccessibilityCheck
from studio.checks.approved import ApprovedLines
from studio.checks.learned import get_claims_model
from studio.checks.learned.sentence_model import get_sentence_model, sentence_findings
from studio.checks.connection import (DEFAULT_LABEL as CONNECTION_LABEL, SOURCE as CONNECTION_SOURCE, ad_label_forms,
                                      connection_cue, leading_ad_tag)
from studio.checks.kit_rules import KitRules, RequiredDisclosure, build_kit_rules, required_disclosures, squash
from studio.checks.limits import hashtag_findings, length_findings, pick_field
from studio.checks.normalize import NormText, normalize
from studio.checks.packs import Rule, RuleIndex, features, load_packs
from studio.checks.pasted import pasted_fields, pasted_limit_findings
from studio.checks.pii import find_pii
from studio.checks.prefilter import LiteralIndex
from studio.checks.quality import BriefContext, QualityGate
from studio.checks.profanity import get_model
from studio.checks.voice_fit import VoiceFit
from studio.domain import Brief, Channel, CheckReport, Finding, Market, Severity
from studio.language import dominant_lang, has_han, has_latin

ALL_MARKETS = ("US", "EU", "CN")
# A text this long in another language than the kit's is reported (shorter ones may be a quote or a name).
MIN_CHARS_FOR_SIMILARITY_ANY_LANGUAGE = 60
# The avoided tones' capitals and exclamation marks. Every _SHOUTING match holds four capitals in a row:
# without them (found fast: the pattern starts with a class, not \b) the scan of every position is skipped.
_SHOUTING = re.compile(r"\b[A-Z]{4,}(?:\s+[A-Z]{2,})+\b|\b[A-Z]{5,}\b")
_FOUR_CAPS = re.compile(r"[A-Z]{4}")
_EXCLAIMS = re.compile(r"[!！]{2,}")


def _market_list(market, kit) -> list[str]:
    if market is not None:
        return [Market(market.value if isinstance(market, Market) else str(market).upper()).value]
    if kit is not None:
        return [kit.kit.markets[0].value]
    return list(ALL_MARKETS)


def dedupe(findings: list[Finding]) -> list[Finding]:
    """Overlapping findings of one category (and field): keep the most severe (then the longest)."""
    ranked = sorted(findings, key=lambda f: (-f.severity.rank, -(f.end - f.start), f.start))
    kept: list[Finding] = []
    groups: dict[tuple, list[Finding]] = {}  # kept findings by (category, field): only they can clash
    for f in ranked:
        group = groups.setdefault((f.category, f.field), [])
        clash = any((k.start < f.end and f.start < k.end) or (k.start == k.end == f.start == f.end) for k in group)
        if not clash:
            kept.append(f)
            group.append(f)
    return sorted(kept, key=lambda f: (f.field or "", f.start, f.end))


def _pattern_literals(rules: list[Rule]):
    """Every required atom and lead string of the rules' patterns and exception lists."""
    for r in rules:
        yield from r.literals()


# The bias categories slight one group each (age, gender; ethnic, regional, disability, body). The model was
# trained with a text of one of them as neither positive nor negative for the others, so it cannot tell which
# group a slight is about: where a rule already named the slight, the model's other bias categories are left
# out. On the read sets (evals/checks and holdout6-16) they were wrong 39 times of 44 ("so simple even Grandpa
# can use it": age_bias by the rule, stereotype by the model).
BIAS_CATEGORIES = frozenset({"age_bias", "gendered_language", "stereotype"})


def model_skips(rule_categories: set[str]) -> set[str]:
    """The categories the learned model adds no finding to, given the categories the rules flagged."""
    return rule_categories | BIAS_CATEGORIES if rule_categories & BIAS_CATEGORIES else rule_categories


class Checker:
    """Loads the packs (and the kit's rules and voice model) once; check_text/check_copy are cheap."""

    def __init__(self, kit=None) -> None:
        self.kit = kit
        self.packs = load_packs()
        self.profanity = get_model()
        all_rules = [r for rules in self.packs.values() for r in rules]
        self.kit_rules = build_kit_rules(kit.kit, all_rules) if kit is not None else KitRules()
        self._kit_index = RuleIndex(self.kit_rules.rules)  # (a case-sensitive rule has one ungated part)
        self.voice: VoiceFit | None = None
        if kit is not None:
            docs = []
            for path in kit.voice_files:
                docs += [p for p in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")) if p.strip()]
            self.voice = VoiceFit(kit.kit, docs)
        self._rules_cache: dict[tuple[str, ...], list[Rule]] = {}
        self._index_cache: dict[tuple, RuleIndex] = {}
        self._by_id = {r.id: r for r in all_rules}
        self._disclosure_norms: list[str] | None = None  # the kit's disclosure lines, normalised once
        self._approved = ApprovedLines(kit.modules if kit is not None else [])  # the kit's content modules
        self._required_cache: dict[tuple, list[RequiredDisclosure]] = {}
        # The literals the packs' hand-written patterns need, found in one pass per text (prefilter.py).
        self.literal_index = LiteralIndex(_pattern_literals(all_rules))
        # garbled, off_brief, unsupported_claim (studio/checks/quality/)
        self.quality = QualityGate(kit)
        # a learned second opinion for the claim categories (studio/checks/learned/); None if not shipped
        self.claims_model = get_claims_model()
        # its second reader, a fine-tuned MiniLM (studio/checks/learned/sentence_model.py); None if not shipped
        self.sentence_model = get_sentence_model()
        self.accessibility = AccessibilityCheck(kit)  # studio/checks/accessibility.py

    # ------------------------------------------------------------------ public API

    def check_text(self, text: str, *, channel: Channel | None = None, market: Market | str | None = None,
                   field: str | None = None, brief: Brief | dict | None = None,
                   support: list[str] | None = None) -> CheckReport:
        """`brief` turns on off_brief; `support` is approved text (content modules) facts may come from."""
        markets = _market_list(market, self.kit)
        ctx = BriefContext.of(brief, support)
        findings = self._scan(text, markets, field)
        findings += self.quality.text_findings(text, field, ctx)
        findings += self.accessibility.findings(text, field, channel)
        cfield = None
        if channel is not None:
            cfield = pick_field(channel, field)
            # A whole ad pasted with its parts labelled ("Headline 1: ...") is measured part by part.
            parts = pasted_fields(text, channel) if field is None else None
            if parts:
                findings += pasted_limit_findings(parts, channel)
            else:
                if cfield is not None:
                    findings += length_findings(text, channel, cfield, field)
                findings += hashtag_findings([(field, text)], channel)
        findings += self.quality.brief_findings([(field, text, cfield.max_chars if cfield else None)], ctx,
                                                {field: cfield.role} if cfield is not None and field is not None else None)
        findings += self._disclosures(squash(text), channel, markets, field)
        findings += self._connection(text, channel, markets, field)
        return CheckReport(findings=dedupe(findings))

    def check_copy(self, copy: dict[str, str], *, channel: Channel, market: Market | str,
                   disclosures: list[str] | None = None, brief: Brief | dict | None = None,
                   support: list[str] | None = None) -> CheckReport:
        markets = _market_list(market, self.kit)
        ctx = BriefContext.of(brief, support)
        findings: list[Finding] = []
        fields = []
        for name, text in copy.items():
            findings += self._scan(text or "", markets, name)
            findings += self.quality.text_findings(text or "", name, ctx)
            findings += self.accessibility.findings(text or "", name, channel)
            try:
                cfield = channel.field(name)
            except KeyError:
                cfield = None
            fields.append((name, text or "", cfield.max_chars if cfield else None))
            if cfield is not None:
                findings += length_findings(text or "", channel, cfield, name)
        findings += self.quality.brief_findings(fields, ctx, {f.name: f.role for f in channel.fields})
        for cfield in channel.fields:
            if cfield.required and not (copy.get(cfield.name) or "").strip():
                findings.append(Finding(rule=f"channel.{channel.id}.{cfield.name}.required", category="channel_limit",
                                        severity=Severity.warn, start=0, end=0, text="", field=cfield.name,
                                        message=f"{channel.name} needs a {cfield.label}; it is empty.",
                                        suggestion=f"write the {cfield.label.lower()}"))
        findings += hashtag_findings(list(copy.items()), channel)
        joined = squash("\n".join(list(copy.values()) + list(disclosures or [])))
        findings += self._disclosures(joined, channel, markets, None)
        return CheckReport(findings=dedupe(findings))

    # ------------------------------------------------------------------ internals

    def _rules(self, markets: list[str]) -> list[Rule]:
        key = tuple(markets)
        if key not in self._rules_cache:
            rules = list(self.packs["common"])
            for m in markets:
                rules += self.packs[m]
            self._rules_cache[key] = rules
        return self._rules_cache[key]

    def _rule_index(self, markets: list[str], zh: bool, en: bool) -> RuleIndex:
        """The markets' rules that apply to a text with (zh) and without Chinese, with and without Latin (en)."""
        key = (tuple(markets), zh, en)
        index = self._index_cache.get(key)
        if index is None:
            rules = [r for r in self._rules(markets) if not (r.lang == "zh" and not zh or r.lang == "en" and not en)]
            index = self._index_cache[key] = RuleIndex(rules)
        return index

    def _finding(self, nt: NormText, s: int, e: int, rule: Rule, field, severity=None, message=None) -> Finding:
        os_, oe = nt.span(s, e)
        matched = nt.original[os_:oe]
        return Finding(rule=rule.id, category=rule.category, severity=severity or rule.severity, start=os_, end=oe,
                       text=matched, message=(message or rule.message).replace("{text}", matched),
                       suggestion=rule.suggestion, field=field)

    def _scan(self, text: str, markets: list[str], field: str | None) -> list[Finding]:
        if not text.strip():
            return []
        nt = normalize(text)
        t = nt.text
        zh, en = has_han(t), has_latin(t)
        feats = features(t)
        found = self.literal_index.present(t)  # the literals present, positions on demand (None: all unknown)
        out: list[Finding] = []
        model_rules: list[Rule] = []
        for rule, parts in self._rule_index(markets, zh, en).candidates(feats, found):
            if rule.matcher == "pii":
                for s, e, _kind, sev, msg in find_pii(t):
                    out.append(self._finding(nt, s, e, rule, field, Severity(sev), f"{rule.message}: {msg}."))
            elif rule.matcher == "profanity_model":
                model_rules.append(rule)
            else:
                for s, e in rule.find_in(t, parts, found):
                    out.append(self._finding(nt, s, e, rule, field))
        if en:
            out = self._profanity(nt, out, model_rules, field)
        for rule, parts in self._kit_index.candidates(feats):
            if rule.case_sensitive:
                out += [Finding(rule=rule.id, category=rule.category, severity=rule.severity, start=m.start(),
                                end=m.end(), text=m.group(), message=rule.message.replace("{text}", m.group()),
                                suggestion=rule.suggestion, field=field)
                        for m in rule.regex.finditer(text)]
            else:
                out += [self._finding(nt, s, e, rule, field) for s, e in rule.find_in(t, parts)]
        if self.claims_model is not None:
            # warn where no rule of that category fired (a rule's finding says more than a score)
            skip = model_skips({f.category for f in out})
            if not all(c in skip for c in self.claims_model.categories):
                spans, scores = self.claims_model.sentence_scores(text)
                learned = self.claims_model.findings_from(text, field, spans, scores, skip)
                if self.sentence_model is not None:  # the reader for meaning, where neither flagged the category
                    learned += sentence_findings(self.sentence_model, text, field, spans, scores,
                                                 self.claims_model.categories,
                                                 model_skips({f.category for f in out + learned}))
                out += learned
        if self.voice is not None:
            out += self._voice(nt, field, feats)
        if self.kit is not None:
            out = self._apply_kit_context(nt, out, markets)
        return out

    def _profanity(self, nt: NormText, out: list[Finding], model_rules: list[Rule], field) -> list[Finding]:
        """Score the whole text once; gate mild words on the score; fall back to the model's word."""
        prob, worst = self.profanity.score(nt.text)
        kept = []
        for f in out:
            gate = None
            if f.category == "profanity":
                rule = self._by_id.get(f.rule)
                gate = rule.params.get("min_model_prob") if rule is not None else None
            if gate is None or prob >= gate:
                kept.append(f)
        for rule in model_rules:
            if prob >= rule.params.get("threshold", 0.9) and worst and not any(f.category == "profanity" for f in kept):
                m = re.search(rf"\b{re.escape(worst)}\b", nt.text)
                if m:
                    kept.append(self._finding(nt, m.start(), m.end(), rule, field,
                                              message=f"{rule.message} (classifier score {prob:.2f})"))
        return kept

    def _voice(self, nt: NormText, field, feats) -> list[Finding]:
        out = []
        text = nt.original
        for lex in self.voice.tones:
            spans = []
            spans += [nt.span(s, e) for s, e in lex.rule.find(nt.text, feats)]
            if lex.caps and _FOUR_CAPS.search(text):
                spans += [m.span() for m in _SHOUTING.finditer(text) if not m.group().isdigit()]
            if lex.exclaim:
                spans += [m.span() for m in _EXCLAIMS.finditer(text)]
            for s, e in spans:
                out.append(Finding(rule=f"kit.{self.kit.kit.id}.avoid_tone.{lex.name}", category="voice_mismatch",
                                   severity=Severity.warn, start=s, end=e, text=text[s:e], field=field,
                                   message=f"sounds {lex.tone}, a tone {self.kit.kit.name} avoids.",
                                   suggestion=f"say it in the kit's voice: {', '.join(self.kit.kit.voice.tone_words[:4])}"))
        same_language = dominant_lang(text) == self.voice.language
        if len(text) >= self.voice.min_chars and same_language:
            score = self.voice.similarity_below(text, self.voice.threshold)
            if score is not None:
                out.append(Finding(rule=f"kit.{self.kit.kit.id}.voice_similarity", category="voice_mismatch",
                                   severity=Severity.warn, start=0, end=len(text), text=text, field=field,
                                   message=f"reads unlike {self.kit.kit.name}'s voice (similarity {score:.2f}, threshold {self.voice.threshold:.2f}).",
                                   suggestion="rewrite closer to the kit's voice examples"))
        elif not same_language and len(text) >= MIN_CHARS_FOR_SIMILARITY_ANY_LANGUAGE:
            lang = "Chinese" if self.voice.language == "zh" else "English"
            out.append(Finding(rule=f"kit.{self.kit.kit.id}.voice_language", category="voice_mismatch",
                               severity=Severity.warn, start=0, end=len(text), text=text, field=field,
                               message=f"not written in the kit's language ({lang}).", suggestion=f"write it in {lang}"))
        out += self.voice.model_findings(text, field, out)  # the learned tone signal, for tones no lexicon heard
        return out

    def _apply_kit_context(self, nt: NormText, out: list[Finding], markets: list[str]) -> list[Finding]:
        """The kit's substantiated claims soften overlapping findings to info; its own disclosure
        lines (address, phone) are not personal data."""
        claims = []
        for c in self.kit_rules.claims:
            if c.markets and not any(m.value in markets for m in c.markets):
                continue
            claims += [(nt.span(*m.span()), c) for m in c.regex.finditer(nt.text)]
        shields = []
        if self._disclosure_norms is None:
            self._disclosure_norms = [normalize(d.text).text for d in self.kit.kit.disclosures]
        for norm in self._disclosure_norms:
            i = nt.text.find(norm)
            if i >= 0:
                shields.append(nt.span(i, i + len(norm)))
        result = []
        for f in out:
            if f.category == "pii" and any(s <= f.start and f.end <= e for s, e in shields):
                continue
            module = self._approved.module_of(f.text) if f.source == "model" else None
            if module is not None and f.severity != Severity.info:
                f = f.model_copy(update={"severity": Severity.info,
                                         "message": f"{f.message} The line is the kit's approved module '{module}'."})
            hit = next((c for (s, e), c in claims if f.start < e and s < f.end), None)
            if hit is not None and f.severity != Severity.info:
                f = f.model_copy(update={"severity": Severity.info,
                                         "message": f"{f.message} Substantiated in the kit: {hit.evidence}."})
            result.append(f)
        return result

    def _disclosures(self, haystack: str, channel: Channel | None, markets: list[str], field) -> list[Finding]:
        out = []
        for market in markets:
            for d in self._required(channel, market):
                if not d.present(haystack):
                    where = f"{channel.name} in {market}" if channel else market
                    out.append(Finding(rule=f"disclosure.{market.lower()}", category="missing_disclosure",
                                       severity=Severity.block, start=0, end=0, text="", field=field,
                                       message=f"required disclosure missing for {where}: \"{d.label}\" ({d.source}).",
                                       suggestion=f"add \"{d.label}\""))
        return out

    def _connection(self, text: str, channel: Channel | None, markets: list[str], field) -> list[Finding]:
        """An endorser's post with a material connection to the brand and no ad label (checks/connection.py)."""
        if channel is not None and channel.paid:  # an ad unit: the placement is the ad, labelled as such
            return []
        cue = connection_cue(text)
        if cue is None:
            return []
        haystack, out = squash(text), []
        for market in markets:
            label = (channel.paid_disclosure.get(market) if channel else None) or CONNECTION_LABEL.get(market)
            if label is None or leading_ad_tag(text, market) or \
                    RequiredDisclosure(label, (label, *ad_label_forms(market)), "").present(haystack):
                continue
            out.append(Finding(rule=f"disclosure.connection.{market.lower()}", category="missing_disclosure",
                               severity=Severity.warn, start=cue.start(), end=cue.end(), text=cue.group(0), field=field,
                               message=f"this reads as an endorser's post with a material connection to the brand "
                                       f"(\"{cue.group(0)}\") and carries no ad label ({CONNECTION_SOURCE[market]}).",
                               suggestion=f"add \"{label}\" where it shows before 'more'"))
        return out

    def _required(self, channel: Channel | None, market: str) -> list[RequiredDisclosure]:
        key = (channel.id if channel else None, market)
        if key not in self._required_cache:
            self._required_cache[key] = required_disclosures(self.kit.kit if self.kit else None, channel, market)
        return self._required_cache[key]


_CHECKERS: dict[tuple, Checker] = {}


def get_checker(kit=None) -> Checker:
    """One Checker per kit id (and folder), built on first use and rebuilt when the kit changed (an uploaded
    kit replaces the folder's contents: its banned terms and claims must apply at once)."""
    key = (kit.kit.id, str(kit.root)) if kit is not None else (None, None)
    checker = _CHECKERS.get(key)
    if checker is None or not _same_kit(checker.kit, kit):
        checker = _CHECKERS[key] = Checker(kit)
    return checker


def _same_kit(built_for, kit) -> bool:
    if built_for is kit:
        return True
    return built_for.kit == kit.kit and built_for.voice_files == kit.voice_files
