"""The spaCy pipeline that extraction runs, made cheaper without changing what it outputs.

Two changes, each checked to give the same tokens, tags, parses, entities and lemmas
(`tests/test_extract_pipeline.py`; 163k tokens of FNC-1 bodies showed no difference):

1. **Rule attributes per type, not per token.** en_core_web_sm ends with two rule components, an
   attribute ruler (a Matcher of 179 patterns over every token, setting part of speech,
   morphology and a few lemmas) and a lemmatizer that walks every token in Python. Their answers
   depend only on a token's own tag, lower-cased form, dependency label and whitespace flag (one
   pattern also looks at the previous token), so `FastAttributes` computes them once per distinct
   combination and writes them back with `Doc.from_array`. The rules are read from the loaded
   attribute ruler (later rules win, as there), multi-token rules still go through a Matcher of
   their own, and lemmas come from the loaded lemmatizer, cached on the key it uses itself.
2. **Matrix products through numpy.** thinc multiplies with its bundled BLIS kernels, which on
   this model's small matrices are slower than numpy's OpenBLAS on one thread: spaCy took 4.7
   CPU-s instead of 7.1 on 150 FNC-1 bodies. numpy's BLAS is held to one thread, because with two
   it spins on the core the embedder needs and burnt 9.7 CPU-s for the same work. Where numpy's
   BLAS cannot be found (another numpy build), thinc keeps BLIS.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import spacy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc
from thinc.backends.numpy_ops import NumpyOps

RULE_COMPONENTS = ("attribute_ruler", "lemmatizer")
_KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE")


class Unsupported(Exception):
    """The pipeline's rules use something `FastAttributes` does not apply (another model)."""


_ATTRS = frozenset({"POS", "MORPH", "LEMMA", "TAG", "DEP"})
_OPS = frozenset({"IN", "NOT_IN", "REGEX"})


def _supported(rule: dict[str, Any]) -> bool:
    """Whether every predicate and attribute of one attribute_ruler rule is one handled here."""
    if not set(rule["attrs"]) <= _ATTRS:
        return False
    return all(not isinstance(test, dict) or set(test) <= _OPS
               for pattern in rule["patterns"] for token in pattern for test in token.values())


def _holds(test: Any, value: Any) -> bool:
    """Whether one Matcher predicate (a value, or IN / NOT_IN / REGEX) holds for `value`."""
    if not isinstance(test, dict):
        return bool(value == test)
    for op, arg in test.items():
        if op == "IN" and value not in arg:
            return False
        if op == "NOT_IN" and value in arg:
            return False
        if op == "REGEX" and not (isinstance(value, str) and re.search(arg, value)):
            return False
    return True


class FastAttributes:
    """Sets POS, MORPH, LEMMA (and TAG/DEP of whitespace) as the two rule components would.

    Args:
        nlp: A loaded pipeline that has both components (they may be disabled).
    """

    def __init__(self, nlp: Any) -> None:
        ruler = nlp.get_pipe("attribute_ruler")
        self.vocab = nlp.vocab
        self.lemmatizer = nlp.get_pipe("lemmatizer")
        # Single-token rules are tested per distinct token; longer ones by a small Matcher.
        self._single: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
        self._multi = Matcher(nlp.vocab)
        self._multi_rules: dict[int, tuple[dict[str, Any], int]] = {}
        for n, rule in enumerate(ruler.patterns):
            if not _supported(rule):
                raise Unsupported(f"attribute_ruler rule {n} ({rule}) is outside what FastAttributes applies")
            for pattern in rule["patterns"]:
                if len(pattern) == 1 and set(pattern[0]) <= set(_KEYS):
                    self._single.append((n, pattern[0], rule["attrs"]))
                else:
                    self._multi.add(str(n), [pattern])
                    self._multi_rules[n] = (rule["attrs"], rule.get("index", 0))
        # A lower-cased form that no rule names stands for all such forms in the cache key, so
        # the rules are tested once per (tag, label) and not once per word.
        named = [t["LOWER"] for _, t, _ in self._single if "LOWER" in t]
        self._words = {w for v in named for w in (v.get("IN", ()) if isinstance(v, dict) else (v,))}
        self._regexes = [re.compile(v["REGEX"]) for v in named if isinstance(v, dict) and "REGEX" in v]
        self._by_word = all(not isinstance(v, dict) or set(v) <= {"IN", "REGEX"} for v in named)
        self._named: dict[int, bool] = {}
        self._rules: dict[tuple[int, int, int, int], list[tuple[int, dict[str, Any]]]] = {}
        self._lemmas: dict[tuple[int, int, int], int] = {}

    def _rules_for(self, tag: int, lower: int, dep: int, space: int) -> list[tuple[int, dict[str, Any]]]:
        """The single-token rules that match a token with these attributes, in rule order."""
        key = (tag, lower, dep, space)
        found = self._rules.get(key)
        if found is None:
            strings = self.vocab.strings
            values = {"TAG": strings[tag] if tag else "", "LOWER": strings[lower] if lower else "",
                      "DEP": strings[dep] if dep else "", "IS_SPACE": bool(space)}
            found = [(n, attrs) for n, test, attrs in self._single
                     if all(_holds(v, values[k]) for k, v in test.items())]
            self._rules[key] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        """Annotate `doc` in place and return it."""
        if not len(doc):
            return doc
        strings = self.vocab.strings
        arr = doc.to_array([TAG, LOWER, DEP, IS_SPACE, POS, MORPH, LEMMA, ORTH])
        tags, lowers, deps, spaces = arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3]
        per_token: dict[int, list[tuple[int, dict[str, Any]]]] = {}
        named = self._named
        for i, (tag, lower, dep, space) in enumerate(zip(tags.tolist(), lowers.tolist(),
                                                        deps.tolist(), spaces.tolist())):
            if self._by_word:
                known = named.get(lower)
                if known is None:
                    word = strings[lower]
                    known = named[lower] = word in self._words or any(r.search(word) for r in self._regexes)
                if not known:
                    lower = 0  # a form no rule names (0 is never a real form's hash)
            rules = self._rules_for(tag, lower, dep, space)
            if rules:
                per_token[i] = rules
        for match_id, start, end in self._multi(doc, allow_missing=True):
            n = int(strings[match_id])
            attrs, index = self._multi_rules[n]
            target = start + index if index >= 0 else end + index
            per_token[target] = sorted([*per_token.get(target, []), (n, attrs)], key=lambda r: r[0])
        out = arr[:, 4:7].copy()  # POS, MORPH, LEMMA
        odd: list[tuple[int, str, str]] = []  # whitespace tokens whose TAG or DEP a rule sets
        for i, rules in per_token.items():
            for _n, attrs in rules:
                for name, value in attrs.items():
                    if name == "POS":
                        out[i, 0] = strings.add(value)
                    elif name == "MORPH":
                        out[i, 1] = self.vocab.morphology.add(value)
                    elif name == "LEMMA":
                        out[i, 2] = strings.add(value)
                    else:  # TAG or DEP (`_supported` admits nothing else)
                        odd.append((i, name, value))
        for i, name, value in odd:
            setattr(doc[i], name.lower() + "_", value)
        doc.from_array([POS, MORPH], np.ascontiguousarray(out[:, :2]))
        lemmas = out[:, 2]
        orths, pos_ids, morphs = arr[:, 7].tolist(), out[:, 0].tolist(), out[:, 1].tolist()
        for i in np.flatnonzero(lemmas == 0).tolist():
            key = (orths[i], pos_ids[i], morphs[i])
            lemma = self._lemmas.get(key)
            if lemma is None:
                lemma = self._lemmas[key] = strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = lemma
        doc.from_array([LEMMA], np.ascontiguousarray(lemmas))
        return doc


@Language.factory("claimcheck_rule_attributes")
def _make_fast_attributes(nlp: Any, name: str) -> FastAttributes:
    """spaCy factory: the component reads the pipeline's own (disabled) rule components."""
    return FastAttributes(nlp)


def _numpy_blas_one_thread() -> bool:
    """Hold numpy's own BLAS (not faiss's) to one thread; False when it cannot be found."""
    from threadpoolctl import ThreadpoolController

    root = str(Path(np.__file__).resolve().parent)  # numpy.libs and numpy/.dylibs start so too
    found = False
    for lib in ThreadpoolController().lib_controllers:
        if lib.user_api == "blas" and str(Path(lib.filepath).resolve()).startswith(root):
            lib.set_num_threads(1)
            found = True
    return found


def _use_numpy_gemm(nlp: Any) -> None:
    """Make every model node of the pipeline multiply through numpy instead of BLIS."""
    ops = NumpyOps(use_blis=False)
    for _name, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops


def load_pipeline(model: str) -> Any:
    """Load `model` with its two rule components replaced by `FastAttributes`.

    Args:
        model: An installed spaCy pipeline package name with both rule components.

    Returns:
        The pipeline; documents it makes carry the same attributes as with the originals.
    """
    nlp = spacy.load(model, disable=list(RULE_COMPONENTS))
    try:
        nlp.add_pipe("claimcheck_rule_attributes", after=RULE_COMPONENTS[0])
    except Unsupported:  # a model with other rules: run its own components
        for name in RULE_COMPONENTS:
            nlp.enable_pipe(name)
    if _numpy_blas_one_thread():
        _use_numpy_gemm(nlp)
    return nlp
