"""Extractive answerer: pick the sentence, bullet or table row that answers, quote it, cite it.

Offline and deterministic: the answer text is the document's own words, so figures are never
altered, and every answer carries the clause it came from. The pieces: `extract` (units and their
scores), `question` (what the answer must hold), `compose` (short answers by intent), `plan_meta`
(số hiệu, ngày, người ký), `refusal` (when to say the plans do not answer).
"""

from __future__ import annotations

import copy
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from assistant.answer.continuation import continued_chunks
from assistant.answer.compose import LIST_LIMIT, compose, enumeration, finish, make_citation, quote_of
from assistant.answer.shortening import ANSWER_LIMIT
from assistant.answer.duties import MAX_TOPIC, DutyIndex, compose_duties, is_duty_question, items, topic_words
from assistant.answer.owners import SectionOwners
from assistant.answer.twins import TaskRows
from assistant.answer.row_counts import RowCounter, counts_rows
from assistant.answer.section_outline import SectionOutline, counts_parts
from assistant.ingest.lines import strip_list_marker
from assistant.ingest.metadata import TYPE_ABBR
from assistant.vi.normalize import folded
from assistant.answer.units import Unit, asked_fields, assigns_lead, outline, tcth_agency, units_of, years_in
from assistant.answer.scoring import LIST_ASKED, Profile, Vocabulary, coverage, score_unit
from assistant.indexing.build import IndexBundle
from assistant.answer.plan_facts import DocumentParts, answer_meta
from assistant.retrieve.analysis import QueryInfo
from assistant.retrieve.plan_naming import plan_words_of
from assistant.answer.profile import build_profile
from assistant.retrieve.plan_fields import asks_referenced_number, meta_fields
from assistant.records import Chunk, Citation, Hit
from assistant import tuning
from assistant.answer.complements import complements
from assistant.answer.confidence import features, load_model
from assistant.answer.refusal import DOCNO_RE, Verdict, absent, agency_absent_text, eligible, refusal_text
from assistant.answer.scoring import agencies_ok, topic_coverage, year_ok
from assistant.vi.agencies import mentions_agency
from assistant.vi.tokens import bm25_tokens

UNIT_MEMO_CHUNKS = 4096  # chunks whose split units are kept (a few MB); the top hits of most questions fit

__all__ = ["Drafted", "ExtractiveAnswerer", "make_citation", "refusal_text"]


@dataclass
class Drafted:
    text: str
    refused: bool
    citations: list[Citation]
    confidence: float | None = None  # the refusal model's probability, when it was consulted


@dataclass
class Trace:
    """Why the answerer answered as it did (for the evaluation report and calibration)."""

    profile: Profile
    units: list[Unit] = field(default_factory=list)
    best: Unit | None = None
    reason: str = ""
    features: dict[str, float] = field(default_factory=dict)  # what the refusal model weighed


class ExtractiveAnswerer:
    name = "extractive"

    def __init__(self, bundle: IndexBundle, settings) -> None:
        self.bundle = bundle
        self.settings = settings
        chunks = list(getattr(bundle, "chunks", None) or [])  # one list for every index built below
        self.vocab = Vocabulary(chunks)
        self.own_numbers = {re.sub(r"\D", "", d.meta.number.split("/")[0]) for d in bundle.documents.values()
                            if d.meta.number}
        # "Kế hoạch 411": a plan called by the number of the decision its title says it carries out
        self.plan_names = {f"{m.group(1)}/{TYPE_ABBR.get(d.meta.doc_type, '').upper()}"
                           for d in bundle.documents.values() if d.meta.doc_type
                           for m in DOCNO_RE.finditer(d.meta.title or "")}
        self.plan_words = plan_words_of([d.meta.title for d in bundle.documents.values() if d.meta.title])
        self.doc_years = {doc_id: years_in(d.meta.title or "") for doc_id, d in bundle.documents.items()}
        self.sections = outline(chunks)
        self.duties = DutyIndex(chunks)
        self.owners = SectionOwners(chunks, self.sections)
        self.twins = TaskRows(chunks, self.vocab)
        self.outline = SectionOutline(chunks)
        self.row_counts = RowCounter(chunks)
        self.document_parts = DocumentParts(chunks)
        self.children = self.outline.children
        self.continued = continued_chunks(chunks)
        self.headers: dict[str, list[str]] = {}  # each plan's header block (issuer, number, title)
        for chunk in chunks:
            if chunk.kind == "header":
                self.headers.setdefault(chunk.doc_id, []).append(chunk.text)
        # A chunk's units (its sentences split, tokenised, dated) depend on the chunk alone, and the same
        # top chunks come back for many questions: split each once, copy the unscored units per answer.
        self._split: OrderedDict[str, list[Unit]] = OrderedDict()
        self._split_lock = threading.Lock()

    def answer(self, question: str, info: QueryInfo, hits: list[Hit]) -> Drafted:
        drafted, trace = self.draft(question, info, hits)
        drafted.confidence = trace.features.get("probability")
        return drafted

    def profile(self, question: str, info: QueryInfo, hits: list[Hit] | None = None, *, cross: bool = False) -> Profile:
        doc = self.bundle.documents.get(hits[0].chunk.doc_id) if hits else None
        return build_profile(question, info, self.vocab, self.own_numbers, doc.meta.title if doc else "",
                             bridge=self.settings.bridge_weight > 0, plan_words=self.plan_words, cross=cross)

    def draft(self, question: str, info: QueryInfo, hits: list[Hit], *, limit: int = ANSWER_LIMIT,
              cross: bool = False, keep_agencies: bool = False, calibrating: bool = False) -> tuple[Drafted, Trace]:
        """The answer (at most about `limit` characters), and the trace of how it was chosen.

        Args:
            cross: one side of a cross-plan question: its wording was checked as a whole, and
                unless `keep_agencies`, the agencies it names may belong to the other side.
            calibrating: answer whenever some clause is eligible (the refusal model is being
                fitted on the features this records in the trace).
        """
        profile = self.profile(question, info, hits, cross=cross)
        if cross and not keep_agencies:
            profile.agencies, profile.named = [], []
        trace = Trace(profile)
        if info.unknown_provinces and set(info.provinces) <= set(info.unknown_provinces):
            trace.reason = "unknown_province"
            return Drafted(refusal_text(self.bundle, info.unknown_provinces), True, []), trace
        own = self.document_parts.reply(self.bundle, question, hits)  # "phần Nơi nhận", "theo tờ trình nào"
        if own is not None:
            trace.reason = own.reason
            return Drafted(own.text, own.refused, own.citations), trace
        fields = meta_fields(info, self.own_numbers, self.plan_names)
        units: list[Unit] | None = None  # scored once, when first needed
        if hits and fields and (info.wants in ("meta", "time", "agency", "other") or "signer" in fields) \
                and not self.describes_cited_document(hits, units := self.units(hits, profile), profile):
            doc_id = hits[0].chunk.doc_id
            text, citations = answer_meta(self.bundle, doc_id, fields, hits,
                                          annex="phu luc" in folded(info.text))
            if text:
                trace.reason = "meta"
                return Drafted(text, False, citations), trace
        if profile.wants == "list" or info.list_weight >= LIST_ASKED:
            titled = self.outline.titled(self.bundle, hits, profile, question, limit)
            if titled is not None:  # "đặt ra những mục đích gì": the section titled so, whole
                trace.reason = "titled_section"
                return Drafted(titled[0], False, titled[1]), trace
        duty = self.duty_answer(question, info, hits, limit)
        if duty is not None:
            trace.reason = "duties"
            return duty, trace
        units = units if units is not None else self.units(hits, profile)
        trace.units = units
        candidates = [u for u in units if eligible(u, profile) and not u.read_on]
        if profile.named and asks_referenced_number(question):
            # "quyết định nào của Thủ tướng": the documents of the body named, when a clause says so.
            candidates = [u for u in candidates if all(mentions_agency(u.text, n) for n in profile.named)] or candidates
        if profile.wants == "yesno" and profile.years:
            candidates = _yes_no_year_candidates(candidates, profile)
        best = max(candidates, key=lambda u: u.score, default=None)
        trace.best = best
        if counts_rows(question):  # "Sở X chủ trì bao nhiêu nhiệm vụ?", "sở nào chủ trì nhiều nhiệm vụ nhất?"
            counted = self.row_counts.reply(self.bundle, question, hits, limit)
            if counted is not None:
                trace.reason = "row_count"
                return Drafted(counted[0], False, counted[1]), trace
        if profile.wants == "number" and counts_parts(question):  # "phần giải pháp có mấy nhóm?"
            outlined = self.outline.reply(self.bundle, best, hits, profile, limit, count=True)
            if outlined is not None:
                trace.reason = "outline"
                return Drafted(outlined[0], False, outlined[1]), trace
        verdict = absent(profile, best)
        if not verdict.refuse and best is not None:
            trace.features = features(profile, best)
            if not calibrating:
                verdict = self.judge(trace.features)
        if verdict.refuse:
            trace.reason = verdict.reason
            if profile.agencies and not any(agencies_ok(u, profile) for u in units):
                trace.reason = "agency_absent"
                provinces = info.provinces or sorted({self.bundle.documents[h.chunk.doc_id].meta.province
                                                      for h in hits[:int(tuning.value("answer_hits"))]} - {""})
                return Drafted(agency_absent_text(profile, provinces), True, []), trace
            return Drafted(refusal_text(self.bundle), True, []), trace
        assert best is not None
        owned = self.owner_answer(best, candidates, profile)
        if owned is not None:
            trace.reason = "section_owner"
            return owned, trace
        twin = self.twins.reply(best, profile, limit)
        if twin is not None:
            trace.reason = "twin_row"
            return Drafted(twin[0], False, [make_citation(self.bundle, twin[1], twin[2])]), trace
        outlined = self.outline.reply(self.bundle, best, hits, profile, limit) \
            if profile.wants == "list" or profile.info.list_weight >= LIST_ASKED else None
        if outlined is not None:
            trace.reason = "outline"
            return Drafted(outlined[0], False, outlined[1]), trace
        text, used = self.answer_from(best, candidates, units, profile, limit, cross=cross)
        citations = [make_citation(self.bundle, u.hit, quote_of(u)) for u in used]
        if info.unknown_provinces:  # "Đồng Nai và Nghệ An …": answer what the corpus holds, say what it lacks
            text += f" (Kho văn bản chưa có kế hoạch của {', '.join(info.unknown_provinces)}.)"
        return Drafted(text, False, _dedupe(citations)), trace

    def describes_cited_document(self, hits: list[Hit], units: list[Unit], profile: Profile) -> bool:
        """"Quyết định phê duyệt chiến lược quản trị dữ liệu ban hành ngày nào?" asks the date of a
        document the plan cites, not the plan's own: a clause citing another document by number covers
        what the question describes clearly better than the plan's own header (issuer, number, title)."""
        doc_id = hits[0].chunk.doc_id
        doc = self.bundle.documents.get(doc_id)
        # the plan names itself in its header and by whom it is signed ("T/M BAN THƯỜNG VỤ")
        signed = [doc.meta.signer_title, doc.meta.issuer] if doc is not None else []
        header = " ".join([*self.headers.get(doc_id, []), *signed])
        own = topic_coverage(frozenset(bm25_tokens(header)), profile)
        for unit in units:
            numbers = {m.group(1) for m in DOCNO_RE.finditer(unit.text)} - self.own_numbers
            if unit.kind == "sentence" and numbers and \
                    own < tuning.value("cited_document_share") * topic_coverage(unit.tokens, profile):
                return True
        return False

    def owner_answer(self, best: Unit, candidates: list[Unit], profile: Profile) -> Drafted | None:
        """"Mục 4 do sở nào chủ trì?" answered by a clause of mục 4 that names no one: the agency whose
        duties in "TỔ CHỨC THỰC HIỆN" cite that section, quoted from there. When the best clause is
        itself some agency's duty that cites other sections ("… các nội dung mục 1, mục 2"), the
        section the question is about is the one of the closest clause outside "TỔ CHỨC THỰC HIỆN"."""
        if profile.wants != "agency" or profile.named or best.kind != "sentence" or assigns_lead(best.text):
            return None
        topic = best
        if tcth_agency(best.chunk):
            outside = [u for u in candidates if u.kind == "sentence" and not tcth_agency(u.chunk)
                       and u.chunk.doc_id == best.chunk.doc_id]
            topic = max(outside, key=lambda u: topic_coverage(u.tokens | u.context, profile), default=None)
            if topic is None or topic_coverage(topic.tokens | topic.context, profile) <= \
                    topic_coverage(best.tokens | best.context, profile):
                return None  # the duty clause itself covers the topic at least as well (its "mục 1, 2" titles)
        owner = self.owners.of(topic.chunk)
        if owner is None and not tcth_agency(best.chunk):
            # the clause found sits outside any cited section (a target under MỤC TIÊU): a clause about
            # the topic at least as closely that sits in a cited task section names who leads it
            covered = topic_coverage(best.tokens | best.context, profile)
            owned = [(u, o) for u in candidates if u.kind == "sentence" and u.chunk.doc_id == best.chunk.doc_id
                     and (o := self.owners.of(u.chunk)) is not None
                     and topic_coverage(u.tokens | u.context, profile) >= covered]
            if owned:
                owner = max(owned, key=lambda p: (topic_coverage(p[0].tokens | p[0].context, profile), p[0].score))[1]
        if owner is None or owner.agency == tcth_agency(best.chunk):
            return None
        citation = make_citation(self.bundle, Hit(owner.chunk, best.hit.score), owner.sentence)
        said = owner.sentence if owner.sentence.startswith(owner.agency) else f"{owner.agency}: {owner.sentence}"
        return Drafted(finish(said), False, [citation])

    def answer_from(self, best: Unit, candidates: list[Unit], units: list[Unit], profile: Profile, limit: int,
                    *, cross: bool = False) -> tuple[str, list[Unit]]:
        """The finished answer text when `best` is the chosen unit, and the units it quotes."""
        fields = asked_fields(best, profile.wants) if not cross else []
        if fields:  # "… (Cơ quan chủ trì: Văn phòng UBND tỉnh; Cơ quan phối hợp: …)"
            tail = f" ({'; '.join(f.rstrip(' .;') for f in fields)})"
            text, used = compose(best, units, profile, max(80, limit - len(tail)))
            return finish(finish(text).rstrip(".") + tail), used
        text, used = compose(best, units, profile, limit)
        if best.text.endswith(":") and text.endswith(":") and len(used) == 1:
            # "… dựa trên các nguyên tắc chủ đạo sau đây:" whose items are the sections below it
            titles = self.children.get((best.chunk.doc_id, tuple(best.chunk.heading_path)), [])
            if len(titles) >= 2:
                text = enumeration(f"{text} {'; '.join(titles)}.", LIST_LIMIT if limit >= ANSWER_LIMIT else limit)
        if not cross and profile.wants != "list":  # a list comes whole from one place
            text, used = self.complete(text, used, best, candidates, units, profile, limit)
        return finish(text), used

    def complete(self, text: str, used: list[Unit], best: Unit, candidates: list[Unit], units: list[Unit],
                 profile: Profile, limit: int) -> tuple[str, list[Unit]]:
        """Add the clauses that answer the other parts of a multi-part question, in document order;
        figures share the room (each keeps the figure it holds), so a second year's target is not
        dropped because the first part took it all."""
        extras = [e for e in complements(best, candidates, profile) if e not in used]
        if not extras:
            return text, used
        room = max(limit, LIST_LIMIT if profile.wants == "list" else limit)
        # Figures survive shortening (`shorten` keeps the window around the figure); other parts keep
        # their whole clause and a part that does not fit is left out.
        share = room // (1 + len(extras)) - 1 if profile.wants == "number" else limit
        if len(text) > share:
            text, used = compose(best, units, profile, share)
        parts = [(best, text, used)]
        size = len(text)
        for extra in extras:
            if any(extra in u for _, _, u in parts):
                continue
            more, more_used = compose(extra, units, profile, share)
            if size + len(more) + 1 > room:
                break
            parts.append((extra, more, more_used))
            size += len(more) + 1
        if len(parts) == 1:
            return text, used
        parts.sort(key=lambda p: (p[0].chunk.start, p[0].line))
        return " ".join(finish(t) for _, t, _ in parts), [u for _, _, us in parts for u in us]

    def judge(self, values: dict[str, float]) -> Verdict:
        """Refuse when the refusal model finds the best clause unlikely to answer (a side of a
        comparison too: its plan was searched alone, so "kế hoạch X không nêu" rests on that search)."""
        model = load_model(self.settings.refusal_model or None)
        threshold = model.threshold if self.settings.refusal_threshold is None else self.settings.refusal_threshold
        p = model.probability(values)
        values["probability"] = p
        return Verdict(p < threshold, "low_confidence" if p < threshold else "")

    def duty_answer(self, question: str, info: QueryInfo, hits: list[Hit], limit: int) -> Drafted | None:
        """"Sở X có nhiệm vụ gì": the items under that agency's heading in "TỔ CHỨC THỰC HIỆN"."""
        if not hits or not is_duty_question(question):
            return None
        section = self.duties.find(question, list(dict.fromkeys(h.chunk.doc_id for h in hits)))
        if section is None:
            return None
        topic = topic_words(info, section)
        found = items(section, hits)
        if not found or len(topic) > MAX_TOPIC:
            return None  # "Sở X phải trình … sáng kiến … trong thời hạn nào": one duty, scored as usual
        room = LIST_LIMIT if limit >= ANSWER_LIMIT else limit
        text, used = compose_duties(section, found, room, self.duties.outline.get(section.doc_id), topic)
        citations = [make_citation(self.bundle, u.hit, quote_of(u)) for u in used]
        return Drafted(finish(text), False, _dedupe(citations))

    def units(self, hits: list[Hit], profile: Profile) -> list[Unit]:
        """Scored units of the top hits."""
        out: list[Unit] = []
        whole = profile.wants == "list" or profile.info.list_weight >= LIST_ASKED
        for rank, hit in enumerate(hits[:int(tuning.value("answer_hits"))]):
            joined = self.continued.get(hit.chunk.chunk_id) if whole else None
            own_lines = joined.extra["own_lines"] if joined is not None else 0
            if joined is not None:  # a list asked for whole reads on into the chunk its list runs into
                hit = Hit(joined, hit.score, hit.ranks)
            for template in self._chunk_units(hit):
                if joined is not None and template.line >= own_lines and not template.lead:
                    continue
                unit = copy.copy(template)
                unit.read_on = joined is not None and template.line >= own_lines
                unit.hit, unit.rank = hit, rank
                score_unit(unit, profile)
                out.append(unit)
        return out

    def _chunk_units(self, hit: Hit) -> list[Unit]:
        """The unscored units of a hit's chunk, from a bounded memo (templates: never scored, always copied)."""
        key = hit.chunk.chunk_id + ("+" if "continued_by" in hit.chunk.extra else "")
        with self._split_lock:
            found = self._split.get(key)
            if found is not None:
                self._split.move_to_end(key)
                return found
        doc_id = hit.chunk.doc_id
        found = units_of(hit, 0, self.doc_years.get(doc_id, set()), self.sections.get(doc_id))
        with self._split_lock:
            self._split[key] = found
            while len(self._split) > UNIT_MEMO_CHUNKS:
                self._split.popitem(last=False)
        return found


def _dedupe(citations: list[Citation]) -> list[Citation]:
    seen: set[tuple[str, str]] = set()
    out = []
    for c in citations:
        if (c.chunk_id, c.quote) not in seen:
            seen.add((c.chunk_id, c.quote))
            out.append(c)
    return out


def _yes_no_year_candidates(candidates: list[Unit], profile: Profile) -> list[Unit]:
    """"… đạt 20% ngay từ năm 2025 không?": the clause about the year asked, whatever figure it gives,
    is what confirms or refutes it. A year a clause only inherits from its plan ("đến năm 2025, định
    hướng 2030" in the title) says nothing about that year: such a clause does not displace a better
    one that states another year ("hoàn thành … vào năm 2030" refutes "… vào năm 2025 không?")."""
    dated = [u for u in candidates if year_ok(u, profile) and _states_year(u, profile.years)]
    if not dated:
        return [u for u in candidates if year_ok(u, profile)] or candidates
    top = max(candidates, key=lambda u: u.score)
    if not _states_year(top, list(top.years)) or max(_wordings(u, profile) for u in dated) >= _wordings(top, profile):
        return dated
    return candidates


def _states_year(unit: Unit, years: list[int]) -> bool:
    """Whether the clause, its list intro or its headings name one of `years` (not just its plan)."""
    said = years_in(unit.text) | years_in(unit.lead) | years_in(" ".join(unit.chunk.heading_path))
    return bool(said & set(years))


def _wordings(unit: Unit, profile: Profile) -> float:
    """How much of the question's words, figures and years aside, the clause (with its headings) holds:
    two targets of one indicator for different years tie, whatever figure the question claims."""
    weights = {t: w for t, w in profile.weights.items() if not any(c.isdigit() for c in t)}
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in unit.tokens or t in unit.context) / total if total else 0.0
