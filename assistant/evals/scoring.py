"""Scoring one answer against one case: retrieval, figures, citations, grounding, refusal and calculation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from assistant.evals.cases import Case, Expected
from assistant.numbers import Quantity, parse_quantities
from assistant.text import normalise_for_match
from assistant.types import Answer, Citation, Hit
from assistant.verify import verify

_MARK = re.compile(r"\[(\d+)\]")


@dataclass
class Score:
    """What one system did on one case. ``None`` marks a metric that does not apply to the case."""

    case_id: str
    category: str
    system: str
    refused: bool
    expected_refusal: bool
    hit1: bool | None = None
    hit5: bool | None = None
    rr10: float | None = None
    recall5: float | None = None
    figures_expected: int = 0
    figures_matched: int = 0
    percent_confusions: int = 0
    phrases_ok: bool | None = None
    citations: int = 0
    citations_precise: int = 0
    figures_stated: int = 0
    figures_unsupported: int = 0
    calc_ok: bool | None = None
    seconds: float = 0.0
    figures_removed: int = 0
    fallback: bool = False
    language: str = "zh"
    crashed: str = ""  # the exception, when the system raised instead of answering

    @property
    def answered(self) -> bool:
        """The system gave an answer (neither a refusal nor a crash)."""
        return not self.refused and not self.crashed

    @property
    def wrong(self) -> bool:
        """Answered, and not right: the worst outcome (a cited answer to another question)."""
        return self.answered and not self.correct

    @property
    def correct(self) -> bool:
        """Refused exactly when it should, and (when answering) stated every expected figure, phrase and result."""
        if self.crashed:
            return False
        if self.expected_refusal or self.refused:
            return self.expected_refusal == self.refused
        return (
            self.figures_matched == self.figures_expected and self.phrases_ok is not False and self.calc_ok is not False
        )

    def why(self) -> str:
        """A short reason a case failed."""
        if self.crashed:
            return f"crashed: {self.crashed}"
        if self.expected_refusal and not self.refused:
            return "answered an unanswerable question"
        if self.refused and not self.expected_refusal:
            return "refused an answerable question"
        reasons = []
        if self.figures_matched < self.figures_expected:
            reasons.append(f"figures {self.figures_matched}/{self.figures_expected}")
        if self.phrases_ok is False:
            reasons.append("expected phrase missing")
        if self.calc_ok is False:
            reasons.append("calculation result wrong or missing")
        if self.hit5 is False:
            reasons.append("no gold chunk in top 5")
        return "; ".join(reasons)


def score(case: Case, system: str, answer: Answer, ranking: list[Hit], seconds: float = 0.0) -> Score:
    """Score one answer (and the retrieval ranking behind it)."""
    result = Score(
        case.id, case.category, system, answer.refused, case.refused, seconds=seconds, language=case.language
    )
    result.fallback = answer.written_by == "fallback"
    removed = answer.verification.removed if answer.verification is not None else []
    result.figures_removed = sum(len(parse_quantities(_MARK.sub(" ", sentence))) for sentence in removed)
    _retrieval(result, case, ranking)
    if not answer.refused:
        _figures(result, case, answer.text)
        _citations(result, answer)
        if case.phrases:
            text = normalise_for_match(answer.text)
            result.phrases_ok = all(any(normalise_for_match(p) in text for p in g) for g in case.phrases)
    if case.calculation is not None:
        result.calc_ok = not answer.refused and _calculated(case.calculation, answer)
    return result


def crash(case: Case, system: str, error: BaseException, seconds: float = 0.0) -> Score:
    """The score of a case on which the system raised: counted apart from refusals, never right."""
    detail = f"{type(error).__name__}: {error}".splitlines()[0][:200]
    return Score(
        case.id, case.category, system, False, case.refused, seconds=seconds, language=case.language, crashed=detail
    )


# -- retrieval ---------------------------------------------------------------------------------------------------
def relevant(case: Case, hit: Hit) -> bool:
    """A chunk of a gold source that contains a gold figure or phrase (or any chunk of it when there are none)."""
    if str(hit.metadata.get("source_id", "")) not in case.sources:
        return False
    if not case.figures and not case.phrases:
        return True
    found = parse_quantities(hit.text)
    if any(_stated(e, found) for e in case.figures):
        return True
    text = normalise_for_match(hit.text)
    return any(normalise_for_match(p) in text for g in case.phrases for p in g)


def _retrieval(result: Score, case: Case, ranking: list[Hit]) -> None:
    if case.refused or not case.sources:
        return
    flags = [relevant(case, h) for h in ranking[:10]]
    result.hit1 = any(flags[:1])
    result.hit5 = any(flags[:5])
    first = next((i for i, f in enumerate(flags) if f), None)
    result.rr10 = 0.0 if first is None else 1.0 / (first + 1)
    if len(case.sources) > 1:
        covered = {str(h.metadata.get("source_id")) for h, f in zip(ranking[:5], flags[:5], strict=False) if f}
        result.recall5 = len(covered) / len(case.sources)


# -- figures -----------------------------------------------------------------------------------------------------
def _close(a: Decimal, b: Decimal, tolerance: Decimal) -> bool:
    return abs(a - b) <= abs(b) * tolerance + Decimal("1e-12")


def _stated(expected: Expected, found: list[Quantity], strict_units: bool = False) -> bool:
    """True when some figure in ``found`` equals every end of ``expected`` (units and currency checked if strict)."""
    for q in found:
        if strict_units and not _same_units(expected, q):
            continue
        ends = [q.low, q.high] if q.is_range else [q.value]
        if all(
            any(v is not None and _close(abs(v), abs(e), expected.tolerance) for v in ends) for e in expected.ends()
        ):
            return True
    return False


COUNT_UNITS = frozenset({"", "people", "companies", "accounts", "items", "rounds", "cards", "units", "params"})
MEASURE_UNITS = frozenset({"GHz", "MHz", "nm", "W", "TFLOPS", "TOPS", "T", "GB/s", "TB/s", "TB", "GB", "MB"})


def _same_units(expected: Expected, q: Quantity) -> bool:
    """Units and currency agree; a count (no unit in the case) may be written with any counter word (名, 家, 张), and
    a measurement the case gives as a bare number with its unit."""
    units = {expected.unit, q.unit}
    same_unit = expected.unit == q.unit or units <= {"", "per_share"} or units <= {"", "shares"}
    counts = not expected.currency and {expected.unit, q.unit} & {""} and units <= COUNT_UNITS
    # a case naming only the number of a measurement (3.2 for a clock speed) is stated with its unit (3.2GHz)
    measured = not expected.unit and not expected.currency and not q.currency and q.unit in MEASURE_UNITS
    same_unit = same_unit or bool(counts) or measured
    return same_unit and (not expected.currency or expected.currency == q.currency)


def _percent_confusion(expected: Expected, found: list[Quantity]) -> bool:
    """The number is there but read as a percent when it is not (or the reverse), or scaled by 100."""
    for q in found:
        if (q.unit == "%") != (expected.unit == "%") and any(
            _close(q.value, e, expected.tolerance) for e in expected.ends()
        ):
            return True
        if any(
            _close(q.value, e * 100, expected.tolerance) or _close(q.value * 100, e, expected.tolerance)
            for e in expected.ends()
        ) and "%" in (q.unit, expected.unit):
            return True
    return False


_MODEL_NUMBER = r"(?<![A-Za-z0-9])[A-Z]{2,}[A-Za-z]*[ -]?{number}(?![0-9.])"


def _model_number(expected: Expected, text: str) -> bool:
    """A case whose figure is a model number (GTX 1080, MTT S4000) is stated by naming that model: the parser
    rightly keeps model numbers out of figures, so only a unitless whole number is looked for this way."""
    value = expected.value
    if value is None or expected.unit or expected.currency or value != value.to_integral_value():
        return False
    return re.search(_MODEL_NUMBER.replace("{number}", str(int(value))), text) is not None


_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven")


def _number_word(expected: Expected, text: str) -> bool:
    """A small unitless count an English answer writes as a word ("two dies"), which the parser leaves alone."""
    value = expected.value
    if value is None or expected.unit or expected.currency or value not in range(len(_NUMBER_WORDS)):
        return False
    return re.search(rf"(?<![A-Za-z]){_NUMBER_WORDS[int(value)]}(?![A-Za-z])", text, re.IGNORECASE) is not None


def _figures(result: Score, case: Case, text: str) -> None:
    plain = _MARK.sub(" ", text)
    found = parse_quantities(plain)
    result.figures_expected = len(case.figures)
    for expected in case.figures:
        if (
            _stated(expected, found, strict_units=True)
            or _model_number(expected, plain)
            or _number_word(expected, plain)
        ):
            result.figures_matched += 1
        elif _percent_confusion(expected, found):
            result.percent_confusions += 1


# -- citations and grounding ---------------------------------------------------------------------------------------
def _citations(result: Score, answer: Answer) -> None:
    lines = answer.text.splitlines()
    for citation in answer.citations:
        citing = [line for line in lines if f"[{citation.n}]" in line]
        result.citations += 1
        result.citations_precise += int(_supports(citation, citing))
    check = answer.verification or verify(answer.text, answer.citations, answer.calculations)
    result.figures_stated = check.checked
    result.figures_unsupported = len(check.unsupported)


def _supports(citation: Citation, lines: list[str]) -> bool:
    """The cited span contains a figure stated on a line citing it, or (for lines without figures) the claim."""
    quoted = parse_quantities(citation.quote)
    figures = [q for line in lines for q in parse_quantities(_MARK.sub(" ", line))]
    if figures:
        return any(_stated(Expected(value=f.value, tolerance=Decimal("0.001")), quoted) for f in figures)
    quote = normalise_for_match(citation.quote)
    return any(quote[:20] in normalise_for_match(line) for line in lines)


def _calculated(expected: Expected, answer: Answer) -> bool:
    for calc in answer.calculations:
        q = calc.result
        if expected.kind == "difference":
            q = Quantity(abs(q.value), q.unit, q.currency)
        ends = [q.low, q.high] if q.is_range else [q.value]
        values_ok = all(any(v is not None and _close(v, e, expected.tolerance) for v in ends) for e in expected.ends())
        currency_ok = expected.kind == "expression" or not expected.currency or expected.currency == q.currency
        if values_ok and currency_ok:
            return True
    return False
