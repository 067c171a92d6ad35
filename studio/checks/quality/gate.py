"""The quality gate: garbled, off_brief and unsupported_claim findings for one kit (or none).

Built once per Checker (the kit's known words and substantiation digested once); each check passes the
brief, which is digested per call. Without a brief, off_brief is not checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from studio.checks.quality import angle, claims, garbled_any, garbled_en, garbled_zh
from studio.checks.quality.scope import claim_out_of_scope, claim_scopes, out_of_scope, scoped_facts
from studio.modules.scope import brief_product, library_products
from studio.checks.quality.config import quality_config
from studio.checks.quality.garbled_en import Hit
from studio.checks.quality.off_brief import (BriefTerms, offer_carried, offer_without_product, product_named, share_carried,
                                             value_said, wrong_products)
from studio.checks.quality.vocab import EN_WORD, KnownText, en_key
from studio.domain import Brief, Finding, Severity
from studio.language import HAN, has_han, has_latin

# Fields that never carry the brief by themselves (a call to action, tags).
NON_PROSE_FIELDS = {"cta", "hashtags", "tags", "button", "alt_text"}
MAX_CLAIMS_SHOWN = 3
# Channel roles of fields that support a headline (a preheader, a second description, a digest).
SUPPORTING_ROLES = {"summary"}
_WORDS_3 = re.compile(r"\w{3,}")
# The first word of each clause (a call to action is an imperative: "Get it now", "…? Tell us below").
_CLAUSE_START = re.compile(r"(?:^|[.!?:;,]\s*|\n\s*)([a-z']+)")
CLAIM_KINDS = {"number": "a number", "material": "a material", "certification": "a certification", "award": "an award",
               "comparison": "a comparison", "heritage": "a heritage claim", "rating": "a rating or ranking",
               "environmental": "an environmental property", "offer": "an offer",
               "novelty": "a claim that it is new", "provenance": "a claim of how or where it is made",
               "health": "a health benefit", "keeping": "a claim of how long it keeps", "date": "a date or deadline", "forbidden": "a claim the kit forbids (so nothing substantiates it)"}
# Garbled kinds that mean the text is not language at all (its numbers are part of the salad).
_RUN_KINDS = {"number_run", "symbol_run"}
SALAD_KINDS = {"character_salad", "pseudo_words", "word_salad", "unknown_words", "invented_word", "clipped_words", "number_run", "symbol_run", "script"}
# A number that reads as a stated fact wherever it stands: 25%, 1977年 / in 1977, 第一名 / No. 1 / #1, 3倍 / 3x, 4.9分 / 5 stars.
# A year is four digits alone (not inside "20317" or "2021.6043"); a count of ten thousands ("52.7 万") or a four-digit
# head count ("6312名") is stated.
_STATED_FACT = re.compile(r"[%％]|(?<![\d.])(?:19|20)\d\d(?![\d.])|\d\s*(?:年|倍|星|分(?!钟))"
                          r"|第\s*\d+\s*名|\bno\.\s*\d|#\d|\d\s*x\b|\bstars?\b"
                          r"|\d{4}\s?[个名位件项人家斤盒罐条]$|\d\s?[万亿]$|^\d{1,3}(?:,\d{3}){2,}$",
                          re.IGNORECASE)
# A number's first part that runs on into a decimal or a date ("2021.6043", "2018-07-19"): no year is stated.
_RUNS_ON = re.compile(r"[.\-/]\d")
# Measure words of people and places that the claim's match leaves out ("6312名"; "2379个字" is the prompt's length).
_HEADS = re.compile(r"\s?[名位人家]")


def _stated_fact(text: str, f: Finding) -> bool:
    """Whether a number found in salad still reads as a stated fact (with the measure word after it: "6312名")."""
    if _RUNS_ON.match(text, f.end) and f.text.isdigit():
        return False
    after = _HEADS.match(text, f.end)
    return bool(_STATED_FACT.search(f.text + after.group() if after else f.text))


# "都", "均", "两款": one sentence saying a fact of several products at once.
_ALL_OF_THEM = re.compile(r"都|均|全部|全都|[两三四]款|每款|各款|both|all of", re.IGNORECASE)


def _lone_line_en(text: str, max_chars: int) -> bool:
    """A short English text of one line and at most one sentence: a subject, headline or CTA checked alone."""
    stripped = text.strip()
    return (0 < len(stripped) <= max_chars and "\n" not in stripped and not has_han(stripped)
            and not _INNER_SENTENCE_END.search(stripped))


_INNER_SENTENCE_END = re.compile(r"[.!?](?:\s+\S)")


_RUN_WORDS = 4
_LOWER_WORD = re.compile(r"[a-z0-9]+")


def _bare_name(text: str) -> str:
    return text.lower().replace("™", "").replace("®", "")


def _word_runs(text: str) -> set[tuple[str, ...]]:
    """Every run of _RUN_WORDS words of the text (lower case)."""
    w = _LOWER_WORD.findall(_bare_name(text))
    return set(zip(*(w[i:] for i in range(_RUN_WORDS))))  # (made in C)


def _product_phrases(modules) -> dict[str, frozenset[tuple[str, ...]]]:
    """Each product's word runs from the kit modules tagged with it (their slots left out)."""
    out: dict[str, set] = {}
    for m in modules:
        for p in m.products:
            out.setdefault(_bare_name(p), set()).update(*(_word_runs(part) for part in re.split(r"\{+[a-z_]+\}+", m.text)))
    return {p: frozenset(r) for p, r in out.items()}


def _kit_texts(loaded) -> tuple[list[str], list[str]]:
    """(words the kit makes known, text that substantiates facts)."""
    kit = loaded.kit
    vocab = kit.vocabulary
    known = [kit.name, kit.voice.description, kit.voice.personality, " ".join(kit.voice.tone_words)]
    known += vocab.preferred_terms + vocab.competitor_names + [t.correct for t in vocab.trademarks]
    known += [s.description + " " + " ".join(s.interests + s.values) for s in kit.segments]
    support = [f"{c.claim} ({c.evidence})" for c in kit.claims.substantiated]
    support += vocab.preferred_terms + [d.text for d in kit.disclosures]
    voice = [p.read_text(encoding="utf-8") for p in loaded.voice_files]
    return known + support + voice, support + voice


@dataclass
class BriefContext:
    terms: BriefTerms
    known: KnownText
    support: claims.Support

    @classmethod
    def of(cls, brief: Brief | dict | None, extra_support: list[str] | None = None) -> "BriefContext | None":
        if brief is None and not extra_support:
            return None
        if isinstance(brief, dict):
            brief = _validated_brief(brief)
        parts = (brief.text, brief.product, brief.offer, brief.key_message, brief.objective) if brief else None
        return _brief_context(parts, tuple(extra_support or ()))


def _validated_brief(brief: dict) -> Brief:
    """Brief.model_validate(brief), validated once per brief: a batch passes the same brief dict with every text."""
    try:
        return _validated_items(tuple(brief.items()))
    except TypeError:  # a value that cannot be a cache key (a list): validated as it is
        return Brief.model_validate(brief)


@lru_cache(maxsize=256)
def _validated_items(items: tuple) -> Brief:
    return Brief.model_validate(dict(items))


@lru_cache(maxsize=256)
def _brief_context(parts: tuple[str, ...] | None, extra_support: tuple[str, ...]) -> BriefContext:
    """Digested once per brief: a batch checks many variants against the same brief (read-only after)."""
    texts = list(parts or ()) + list(extra_support)
    terms = BriefTerms(parts[1], parts[2], parts[3], parts[0]) if parts else None
    return BriefContext(terms, KnownText(texts), claims.Support.of(texts, lenient=True))


class QualityGate:
    def __init__(self, loaded_kit=None) -> None:
        self.cfg = quality_config()
        self.kit = loaded_kit.kit if loaded_kit is not None else None
        if loaded_kit is not None:
            known, support = _kit_texts(loaded_kit)
        else:
            known, support = [], []
        self.known = KnownText(known)
        self.scoped = scoped_facts(loaded_kit.modules) if loaded_kit is not None else []
        self.products = library_products(loaded_kit.modules) if loaded_kit is not None else []
        self._product_phrases = _product_phrases(loaded_kit.modules if loaded_kit is not None else [])
        uc = self.cfg["unsupported_claim"]
        lexicons = [(tuple(uc[f"{key}_{lang}"]), lang == "en") for key in ("materials", "certifications", "environmental")
                    for lang in ("en", "zh")]
        self._kit_forbidden = claims.forbidden_phrases(self.kit.claims.forbidden) if self.kit else ((), ())
        self._competitors = tuple(self.kit.vocabulary.competitor_names) if self.kit else ()
        self.claim_scopes = claim_scopes(self.kit.claims.substantiated, self.products, lexicons) if self.kit else []
        # Each substantiated claim with its words, to name the ones nearest an unsupported claim.
        self._claim_words = [(c.claim, set(_WORDS_3.findall(c.claim.lower())))
                             for c in (self.kit.claims.substantiated if self.kit else [])]
        self.support = claims.Support.of(support)
        self._garbled_fields: dict[tuple[str, str], tuple[Hit, ...]] = {}
        # The kit's approved calls to action (content modules of role cta), their slot-free parts.
        self._kit_ctas = [f.strip(" .!?，。！？").lower() for m in (loaded_kit.modules if loaded_kit is not None else [])
                          if m.role == "cta" for f in re.split(r"\{+[a-z_]+\}+", m.text) if len(f.strip(" .!?，。！？")) >= 4]
        self._cta_verbs_en = {str(v).lower() for v in self.cfg["off_brief"]["cta_verbs_en"]}
        # The kit's preferred terms of more than one word ("built to be repaired", "wear it longer").
        self._kit_phrases = [p.lower() for p in (self.kit.vocabulary.preferred_terms if self.kit else []) if " " in p.strip()]
        self._writer_notes: list[re.Pattern] | None = None  # compiled on first use
        self._brand_en = {en_key(m.group()) for m in EN_WORD.finditer(self.kit.name)} if self.kit else set()
        if self.kit is not None and self.kit.language.startswith("zh"):
            garbled_zh.load(self.cfg["garbled"]["zh"])  # a Chinese kit's copy needs it: loaded now, not mid-batch

    # ------------------------------------------------------------------ per text

    def text_findings(self, text: str, field: str | None, ctx: BriefContext | None) -> list[Finding]:
        if not text.strip():
            return []
        known = (self.known, ctx.known) if ctx else (self.known,)
        supports = (self.support, ctx.support) if ctx else (self.support,)
        g = self.cfg["garbled"]
        letter_runs = set(claims._AZ_RUN.findall(text.lower()))  # once for the number words and the claim lexicons
        hits: list[Hit] = []
        if has_latin(text):
            hits += garbled_en.find(text, known, g["en"])
        if has_han(text):
            hits += garbled_zh.find(text, known, g["zh"], (lambda: self._names_nothing(text, ctx.terms)) if ctx and ctx.terms else None)
        hits += garbled_any.find(text, g, ctx.support.numbers if ctx else set(), field, letter_runs)
        out = [self._garbled(text, h, field) for h in hits]
        if hits:
            # A garbled field is reported once, as garbled (brief_findings reads this for CTAs).
            self._garbled_fields[(field, text)] = tuple(hits)
            if len(self._garbled_fields) > 4096:
                self._garbled_fields.clear()
        claims_found = self._claims(text, field, supports, letter_runs)
        # A plain number inside text that is not language (list numbering, a count in character salad, the prompt's
        # "at most 300 characters") is part of the debris: the garbled finding already blocks the text. A number
        # stated as a fact (a percentage, a year, a rank, a multiple, a rating) stays a claim even there: it is
        # what a reader would take away, and editors who labelled the blind sets flag it as unsupported.
        salad = any(h.kind in SALAD_KINDS for h in hits)
        # Inside a run of numbers and symbols even a percentage or a year is part of the run, not a stated fact.
        runs = [h for h in hits if h.kind in _RUN_KINDS]
        claims_found = [f for f in claims_found
                        if not any(h.start <= f.start and f.end <= h.end + 2 for h in runs)
                        and (f.rule != "quality.unsupported_claim.number" or _stated_fact(text, f)
                             or not (salad or any(h.start < f.end and f.start < h.end for h in hits)))]
        pinyin = [h for h in hits if h.kind == "pinyin"]
        if pinyin:  # "jian ce" spelled out is pinyin, not a CE mark
            claims_found = [f for f in claims_found if not any(h.start <= f.start and f.end <= h.end for h in pinyin)]
        out += claims_found
        if ctx is not None and ctx.terms is not None:
            out += self._out_of_scope(text, field, ctx.terms)
        return out

    def _names_nothing(self, text: str, t: BriefTerms) -> bool:
        """The text names neither the brief's product nor its offer (False when the brief has neither)."""
        if not (t.product.strip() or t.offer.strip()):
            return False
        if t.product and product_named(t.product, text, t.generic_en, t.generic_zh):
            return False
        # the offer as off_brief reads it (brief_findings): its own words or its amounts
        return not (t.offer.strip() and offer_carried(t.offer, t.product, text, t.generic_en, t.generic_zh,
                                                      self.cfg["off_brief"]["min_share"]))

    def _out_of_scope(self, text: str, field, terms) -> list[Finding]:
        cfg = self.cfg["unsupported_claim"]
        product = brief_product(terms.product, terms.text, self.products)
        subject = product or terms.text
        sensitive = claims.Sensitivity(text, cfg)

        def finding(h, scope: str) -> Finding:
            return Finding(
                rule="quality.unsupported_claim.scope", category="unsupported_claim",
                severity=Severity(cfg["severity_sensitive"] if sensitive(h) else cfg["severity"]),
                start=h.start, end=h.end, text=text[h.start:h.end], field=field, source="kit",
                message=f"{h.message} {scope}, not for what this brief is about ({subject}).",
                suggestion=f"remove it, or use a fact the kit substantiates for {subject}")

        out = [finding(h, f"is a fact the kit substantiates for {', '.join(fact.products)} only (module {fact.module_id})")
               for h, fact in out_of_scope(text, self.scoped, product, terms.text, self.products)
               if not self._scope_explained(text, h, fact.products, terms)]
        brief_words = " ".join((terms.text, terms.offer, terms.key_message))
        out += [finding(h, f"is substantiated in the kit for {', '.join(products)} only")
                for h, products in claim_out_of_scope(text, self.claim_scopes, product, brief_words, self.products)
                if not self._scope_explained(text, h, products, terms)]
        if not out and has_han(text):
            out += [finding(h, f"is substantiated in the kit for {', '.join(products)} only")
                    for h, products in self._said_of_all(text)]
        return out

    def _scope_explained(self, text: str, h: Hit, products: tuple[str, ...], terms) -> bool:
        """A scoped fact that is not unsupported here: the brief itself gives it (its words and numbers: a spec sheet's
        "20,000 mm hydrostatic head"), or the copy is about the fact's own product (names it in full, not the brief's:
        off brief, which _wrong_products and the product check report, but the fact is that product's)."""
        end = h.end
        while end < len(text) and text[end].isalnum():
            end += 1  # (a span found in text with ™ removed may stop inside its last word)
        said = text[h.start:end]
        if (share_carried(said, terms.text, terms.generic_en, terms.generic_zh) or 0) >= self.cfg["unsupported_claim"]["scope_brief_share"]:
            return True
        lower = text.lower().replace("™", "").replace("®", "")
        return (any(p.lower().replace("™", "") in lower for p in products)
                and not (terms.product and product_named(terms.product, text, terms.generic_en, terms.generic_zh)))

    def _said_of_all(self, text: str) -> list[tuple[Hit, tuple[str, ...]]]:
        """A claim the kit scopes to one product, said in one sentence of it and another together ("A和B都有机认证",
        "两款均…"): the sentence names the claim's product, so the rule above lets it through."""
        out = []
        for s in self.claim_scopes:
            for term in s.terms if s.products else ():
                at = text.find(term)
                if at < 0:
                    continue
                start = max(text.rfind(c, 0, at) for c in "。！？!?\n") + 1
                ends = [e for e in (text.find(c, at) for c in "。！？!?\n") if e >= 0]
                sentence = text[start:min(ends) if ends else len(text)]
                named = [p for p in self.products if p in sentence and not any(p != q and p in q for q in self.products if q in sentence)]
                others = [p for p in named if p not in s.products and not any(p in q or q in p for q in s.products)]
                if others and any(p in named for p in s.products) and _ALL_OF_THEM.search(sentence):
                    out.append((Hit(at, at + len(term), "scope", f"\"{term}\" (said of {'、'.join(others)} too)"), s.products))
        return out

    def _garbled(self, text: str, h: Hit, field) -> Finding:
        source = "model" if h.kind == "character_salad" else "rule"
        return Finding(rule=f"quality.garbled.{h.kind}", category="garbled", severity=Severity(self.cfg["garbled"]["severity"]),
                       start=h.start, end=h.end, text=text[h.start:h.end], message=f"garbled: {h.message}",
                       suggestion="rewrite it as plain, well-formed copy (or regenerate it)", field=field,
                       source=source, score=h.score if source == "model" else None)

    def _claims(self, text: str, field, supports, letter_runs: set[str] | None = None) -> list[Finding]:
        cfg = self.cfg["unsupported_claim"]
        lang = "zh" if has_han(text) else "en"
        out = []
        kit_hits = claims.kit_phrase_hits(text, self._kit_forbidden, self._competitors)
        # A phrase the kit's own copy uses (its ad-law guide lists what not to write) is that copy's, as for other words.
        found = claims.find(text, supports, cfg, lang, letter_runs) + [
            h for h in kit_hits if h.kind != "forbidden" or not any(s.has_word(text[h.start:h.end].lower()) for s in supports)]
        sensitive = claims.Sensitivity(text, cfg)
        for h in claims._dedupe(found):
            block = sensitive(h)
            sev = cfg["severity_sensitive"] if block else cfg["severity"]
            kind = CLAIM_KINDS[h.kind]
            why = " (a health, safety, environmental or money fact)" if block else ""
            out.append(Finding(
                rule=f"quality.unsupported_claim.{h.kind}", category="unsupported_claim", severity=Severity(sev),
                start=h.start, end=h.end, text=text[h.start:h.end],
                message=f"{h.message} is {kind}{why} found neither in the kit's substantiated claims, its approved copy nor the brief.",
                suggestion=self._substantiated_hint(text, h), field=field, source="kit" if self.kit else "rule"))
        return out

    def _substantiated_hint(self, text: str, h: Hit) -> str:
        if self.kit is None or not self.kit.claims.substantiated:
            return "remove it, or give its source in the brief"
        near = set(_WORDS_3.findall(text[max(0, h.start - 60): h.end + 60].lower()))
        ranked = sorted(self._claim_words, key=lambda cw: -len(near & cw[1]))
        shown = "; ".join(claim for claim, _ in ranked[:MAX_CLAIMS_SHOWN])
        return f"remove it or use what the kit substantiates: {shown}"

    # ------------------------------------------------------------------ per copy (the brief)

    def _generic_en(self, t) -> set[str]:
        """Words that do not make a headline carry the brief: the generic list and the brand's own name ("Northpeak"
        is in every Northpeak headline: "The latest news on Northpeak Essentials" does not name "Northpeak ReCraft").
        Whole copy may still name a brand service by the brand ("Northpeak: a stuck zip?" for ReCraft)."""
        return t.generic_en | self._brand_en

    def brief_findings(self, fields: list[tuple[str | None, str, int | None]], ctx: BriefContext | None,
                       roles: dict[str | None, str] | None = None) -> list[Finding]:
        """fields: (name, text, max_chars); roles: each field's channel role. Off-brief findings for the copy as a
        whole, and for each headline that carries nothing of the brief."""
        if ctx is None or ctx.terms is None:
            return []
        return (self._copy_off_brief(fields, ctx, roles or {}) + self._headlines_off_brief(fields, ctx, roles or {})
                + self._wrong_products(fields, ctx) + self._ctas_off_brief(fields, ctx, roles or {}))

    def _ctas_off_brief(self, fields, ctx: BriefContext, roles: dict) -> list[Finding]:
        """A call to action that asks the reader to do nothing ("Awesome!", "Why?", "One step ahead!") or something
        else ("Become a brand ambassador") does not carry the brief. It does when it names the product or a word of
        the brief or offer, asks for an action (an imperative at a clause's start: "Get it now", "Tell us below";
        Chinese: an action word anywhere, 看看, 尝尝, 下单), or repeats the kit's own approved CTA."""
        cfg = self.cfg["off_brief"]
        t = ctx.terms
        out = []
        for name, text, _ in fields:
            if roles.get(name) != "cta" or len(text.strip()) < 2 or self._cta_carries(text, t, cfg):
                continue
            if self._garbled_fields.get((name, text)):
                continue  # already reported as garbled: off_brief would say the same thing twice
            out.append(Finding(rule="quality.off_brief.cta", category="off_brief", severity=Severity(cfg["severity"]),
                               start=0, end=len(text), text=text, field=name, source="rule",
                               message="off brief: the call to action asks for nothing the brief is about.",
                               suggestion=f"ask for the action the brief wants, e.g. about {t.product or t.text}"))
        return out

    def _cta_carries(self, text: str, t, cfg: dict, offer_value: bool = False) -> bool:
        """offer_value: the offer's words count only with what makes it a deal (off_brief.value_said): a line checked
        alone that reuses "sizes" and "exchanges" of "free exchanges on sizes" without "free" says no offer."""
        if t.product and product_named(t.product, text, t.generic_en, t.generic_zh):
            return True
        # A number alone does not carry an English line this short (the product's own is product_named's).
        offer = offer_without_product(t.offer, t.product)
        if any(share_carried(v, text, self._generic_en(t), t.generic_zh, numbers=has_han(text))
               for v in (offer, t.key_message, t.text) if v.strip() and not (offer_value and v is offer and not value_said(offer, text))):
            return True
        lower = text.lower()
        if any(fragment in lower for fragment in self._kit_ctas):
            return True
        if any(v in text for v in cfg["cta_verbs_zh"]):
            return True
        starts = {m.group(1) for m in _CLAUSE_START.finditer(lower)}
        return bool(starts & self._cta_verbs_en)

    def _wrong_products(self, fields, ctx: BriefContext) -> list[Finding]:
        """"Ridgeback Shirt" in copy for the Ridgeback Shell names another product (any field but hashtags)."""
        t = ctx.terms
        if not t.product:
            return []
        out = []
        for name, text, _ in fields:
            if (name or "") in {"hashtags", "tags"}:
                continue
            for m in wrong_products(t.product, text, t.generic_en)[:1]:
                named = text[m.start(): m.end(1)]
                out.append(Finding(rule="quality.off_brief.wrong_product", category="off_brief",
                                   severity=Severity(self.cfg["off_brief"]["severity"]), start=m.start(), end=m.end(1),
                                   text=named, field=name, source="rule",
                                   message=f"off brief: \"{named}\" is not the brief's product ({t.product}).",
                                   suggestion=f"name the product as the brief does: {t.product}"))
        return out

    def _headlines_off_brief(self, fields, ctx: BriefContext, roles: dict) -> list[Finding]:
        """A subject, headline or title is what most readers read: headlines that name neither the product nor
        any word of the brief, its offer or key message ("Awesome!", "Why?", "The perfect opportunity") do not
        carry the brief, whatever the body says. A channel's headlines are judged together (a search ad's three
        are shown in combinations: one that carries the brief is enough)."""
        t = ctx.terms
        headlines = [(name, text) for name, text, _ in fields if roles.get(name) == "headline" and text.strip()]
        if not headlines:
            return []
        for _, text in headlines:
            if t.product and product_named(t.product, text, self._generic_en(t), t.generic_zh):
                return []
            shares = [share_carried(v, text, self._generic_en(t), t.generic_zh) for v in (t.offer, t.key_message, t.text) if v.strip()]
            if any(s for s in shares if s):
                return []
        name, text = headlines[0]
        which = name or "headline"
        if len(headlines) > 1:
            which = ", ".join(n or "headline" for n, _ in headlines)
        return [Finding(rule="quality.off_brief.headline", category="off_brief", severity=Severity(self.cfg["off_brief"]["severity"]),
                        start=0, end=len(text), text=text, field=name, source="rule",
                        message=f"off brief: the {which} say{'s' if len(headlines) == 1 else ''} nothing of the brief "
                                "(not the product, the offer or its words).",
                        suggestion=f"say what it is about: {t.product or t.text}")]

    def _angle_missing(self, joined: str, t, finding) -> list[Finding]:
        """Long copy that names the product but none of the brief's angle words tells another story (a segment's
        stock frame: a gift pitch for an office cold-brew launch). Judged only on whole copy long enough that
        saying none of them is telling; the languages are measured apart (packs/quality.yaml)."""
        cfg = self.cfg["off_brief"]
        lang = "zh" if has_han(joined) and len(HAN.findall(joined)) * 2 >= len(joined) * 0.5 else "en"
        min_chars = cfg["angle_min_chars"].get(lang)
        if not min_chars or angle.weighted_length(joined) < min_chars:
            return []
        a = angle.brief_angle(f"{t.text}\n{t.key_message}", "", t.product, t.offer, self.kit.name if self.kit else "")
        if a.size < cfg["angle_min_terms"] or angle.carried(a, joined):
            return []
        words = "、".join(a.words()[:6]) if lang == "zh" else ", ".join(a.words()[:6])
        return [finding("angle", cfg["severity"],
                        f"off brief: the copy carries none of what the brief asks it to say ({words}); it tells another story.",
                        "write about the brief's angle, not a stock one")]

    def _described(self, product: str, joined: str) -> bool:
        """Copy that does not name the product but describes it in the kit's own words for it (off_brief.described_min
        word runs of the modules tagged with it: a landing section under the product's heading, "Flat seams under a
        pack, thumb loops ..."), naming no other product."""
        phrases = self._product_phrases.get(_bare_name(product))
        if not phrases:
            return False
        found = phrases & _word_runs(joined)
        if len(found) < self.cfg["off_brief"]["described_min"]:
            return False
        lower = _bare_name(joined)
        return not any(_bare_name(p) in lower for p in self.products if _bare_name(p) != _bare_name(product))

    def _offer_optional(self, prose, joined: str, t) -> bool:
        """Copy that names the product need not carry the offer and key message (off_brief.offer_optional) when it
        is an English headline or subject line (one line that names the product in full and ends without a full stop,
        or is short enough for a subject line: the variant's other fields carry the offer; Chinese lines end on tags
        such as 广告 or 回T退订), or when its words are broken (doubled, invented, misspelt: the
        garbled finding blocks it; the story is the brief's). Not when it was cut off or is a template or prompt."""
        if not t.product or not t.offer.strip() and not t.key_message.strip():
            return False
        kinds = {h.kind for n, s, _ in prose for h in self._garbled_fields.get((n, s), ())}
        cfg = self.cfg["off_brief"]["offer_optional"]
        if not kinds.isdisjoint(cfg["unless_garbled"]) or not product_named(t.product, joined, t.generic_en, t.generic_zh):
            return False
        if not kinds.isdisjoint(cfg["broken_words"]):
            return True
        line = joined.strip()
        return (len(line) <= cfg["headline_max_chars"] and "\n" not in line and "#" not in line and not has_han(line)
                and (line[-1] not in ".!?。！？" or line.endswith(("...", "…")) or len(line) <= cfg["subject_max_chars"])
                and t.product.replace("™", "").lower() in line.replace("™", "").lower())

    def _lone_line_off_brief(self, text: str, t, cfg: dict) -> list[Finding]:
        """One short English line checked alone is a subject, headline or call to action: it need not carry the
        offer (the variant's other fields may), but it carries the brief only when it names the product, says a
        word of the brief or offer, or asks for an action (_cta_carries). "Happy Friday!" for a jacket does not."""
        if self._cta_carries(text, t, cfg, offer_value=True) or any(p in text.lower() for p in self._kit_phrases):
            return []  # (or it says one of the kit's own phrases: "Built to Be Repaired")
        return [Finding(rule="quality.off_brief.line", category="off_brief", severity=Severity(cfg["severity"]),
                        start=0, end=len(text), text=text, field=None, source="rule",
                        message="off brief: the line says nothing of the brief (not the product, the offer or its words).",
                        suggestion=f"say what it is about: {t.product or t.text}")]

    def _bare_zh(self, joined: str, text: str, name, t, cfg: dict) -> list[Finding] | None:
        """Chinese copy too short for the checks below: the product's name alone ("X。" as a whole e-mail) says
        nothing the brief asks; a short line with nothing of the brief (an echoed instruction: "一句话，30字以内。")
        is off brief. A short line that names the product, says a word of the brief or asks for an action is left
        alone (None: the checks below decide)."""
        short = t.product and len(joined.strip()) <= len(t.product) + 8
        rest = re.sub(r"[\W_]+", "", joined.replace(t.product, "")) if short else None
        if rest == "" and (t.offer.strip() or t.key_message.strip()):
            why = f"off brief: the copy is only the product's name; nothing of what the brief asks ({t.offer or t.key_message})."
        elif len(joined.strip()) + len(HAN.findall(joined)) < cfg["min_chars"] and not self._cta_carries(joined, t, cfg):
            why = "off brief: the line says nothing of the brief (not the product, the offer or its words)."
        else:
            return None
        return [Finding(rule="quality.off_brief.line", category="off_brief", severity=Severity(cfg["severity"]),
                        start=0, end=len(text), text=text, field=name, source="rule", message=why,
                        suggestion=f"say what it is about: {t.product or t.text}")]

    def _carries_product_and_offer(self, text: str, t) -> bool:
        return bool(t.product and product_named(t.product, text, t.generic_en, t.generic_zh)) and (
            not t.offer.strip() or offer_carried(t.offer, t.product, text, t.generic_en, t.generic_zh, self.cfg["off_brief"]["min_share"]))

    def _writer_note(self, text: str) -> re.Match | None:
        """The first writer's note (packs/quality.yaml off_brief.writer_notes) in the copy, or None."""
        if self._writer_notes is None:
            self._writer_notes = [re.compile(p, re.IGNORECASE)
                                  for p in self.cfg["off_brief"].get("writer_notes") or []]
        return next((m for rx in self._writer_notes if (m := rx.search(text))), None)

    def _copy_off_brief(self, fields, ctx: BriefContext, roles: dict) -> list[Finding]:
        cfg = self.cfg["off_brief"]
        t = ctx.terms
        # One short field of a variant checked alone (a headline, a preheader, a second description): the offer
        # and key message may be in the variant's other fields, and a supporting field may tease without the
        # product's name. A body or post checked alone must still carry them.
        one_field = len(fields) == 1 and fields[0][0] is not None
        role = roles.get(fields[0][0]) if one_field else None
        supporting = role in SUPPORTING_ROLES
        short_field = role in SUPPORTING_ROLES | {"headline"}
        prose = [(n, s, m) for n, s, m in fields if s.strip() and (n or "") not in NON_PROSE_FIELDS]
        if not prose:
            return []
        joined = "\n".join(s for _, s, _ in prose)
        target = max(prose, key=lambda f: len(f[1]))
        name, text = target[0], target[1]
        note = self._writer_note(joined)
        # Chinese copy that a chat reply only frames ("以下是为您写的文案：…") carries the brief: the frame is garbled
        # (garbled_any), not off brief.
        if note is not None and not (has_han(joined) and self._carries_product_and_offer(joined, t)):
            return [Finding(rule="quality.off_brief.writer_note", category="off_brief",
                            severity=Severity(cfg["severity_nothing"]), start=0, end=len(text), text=text, field=name,
                            message=f"off brief: the writer's note instead of copy (\"{note.group().strip()}\"); "
                                    f"nothing of the brief is in it.", suggestion="write the copy the brief asks for",
                            source="rule")]
        if fields[0][0] is None and _lone_line_en(joined, cfg["lone_line_max_chars"]):
            return self._lone_line_off_brief(text, t, cfg)
        if has_han(joined) and not short_field and (bare := self._bare_zh(joined, text, name, t, cfg)) is not None:
            return bare
        # A Han character says about as much as two Latin letters.
        if len(joined.strip()) + len(HAN.findall(joined)) < cfg["min_chars"]:
            return []
        out = []

        def finding(part: str, sev: str, message: str, suggestion: str) -> Finding:
            return Finding(rule=f"quality.off_brief.{part.replace(' ', '_')}", category="off_brief", severity=Severity(sev),
                           start=0, end=len(text), text=text, field=name, message=message, suggestion=suggestion, source="rule")

        carried = {}
        if t.product:
            has_room = any(m is None or m >= min(cfg["product_room_chars"], len(t.product) + cfg["product_room_margin"]) for _, _, m in prose)
            carried["product"] = product_named(t.product, joined, t.generic_en, t.generic_zh) or (
                # (the kit's words for it are looked for only in copy that carries the offer: a section of its page)
                offer_carried(t.offer, t.product, joined, t.generic_en, t.generic_zh, cfg["min_share"]) is not False
                and self._described(t.product, joined))
            if not carried["product"] and has_room and not supporting:
                out.append(finding("product", cfg["severity"], f"off brief: the product \"{t.product}\" is not named.",
                                   f"name {t.product}"))
        optional = None  # (decided only for a part that is missing)
        for part, value in (("offer", t.offer), ("key message", t.key_message), ("brief", t.text)):
            if not value.strip():
                continue
            if part == "offer":  # "free rain cover with every Switchback 28": naming the product does not carry it
                said = offer_carried(value, t.product, joined, t.generic_en, t.generic_zh, cfg["min_share"])
            else:
                share = share_carried(value, joined, t.generic_en, t.generic_zh)
                said = None if share is None else share >= cfg["min_share"]
            if said is None:
                continue
            carried[part] = said
            if not carried[part] and part != "brief" and not short_field and optional is None:
                optional = self._offer_optional(prose, joined, t)
            if not carried[part] and part != "brief" and not short_field and not optional:
                out.append(finding(part, cfg["severity"], f"off brief: the {part} \"{value}\" is not in the copy.",
                                   f"say it: {value}"))
            if part == "brief":
                carried[part] = share > 0
        if not one_field and not out:
            out += self._angle_missing(joined, t, finding)
        if carried and not any(carried.values()):
            out = [finding("nothing", cfg["severity_nothing"],
                           "off brief: nothing of the brief is in the copy (product, offer, key message and the brief's words are all missing).",
                           "write about what the brief asks for")]
        return out
