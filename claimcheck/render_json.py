"""JSON output: the dataclasses as JSON documents, the stable contract scripts rely on.

Every document carries `schema_version`. Kept apart from the terminal tables (claimcheck/render.py)
so `--json` never imports rich's table machinery.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from claimcheck.types import (
    Claim,
    Conflict,
    Corroboration,
    Evidence,
    IndexInfo,
    Relation,
    StoredClaim,
    Verdict,
)

SCHEMA_VERSION = 1


def dumps(data: dict[str, Any]) -> str:
    return json.dumps({"schema_version": SCHEMA_VERSION, **data}, ensure_ascii=False)


def claim_json(claim: StoredClaim) -> dict[str, Any]:
    out = {
        "text": claim.text, "source": claim.source, "document": claim.document,
        "sentence": claim.sentence, "published": claim.published, "speaker": claim.speaker,
        "title": claim.title, "claim_id": claim.claim_id, "document_id": claim.doc_id,  # for `remove`
    }
    if claim.carried_by:
        out["carried_by"] = list(claim.carried_by)
    return out


def relation_json(a: str, b: str, relation: Relation) -> dict[str, Any]:
    return {
        "a": a, "b": b, "relation": relation.label,
        "probabilities": {k: round(v, 4) for k, v in relation.probabilities.items()},
        "reasons": list(relation.reasons), "diffs": [asdict(d) for d in relation.diffs],
        "similarity": round(relation.similarity, 4),
    }


def evidence_json(item: Evidence) -> dict[str, Any]:
    return {
        **claim_json(item.claim),
        "relation": item.relation.label, "score": item.score, "similarity": round(item.similarity, 4),
        "probabilities": {k: round(v, 4) for k, v in item.relation.probabilities.items()},
        "reasons": list(item.relation.reasons), "diffs": [asdict(d) for d in item.relation.diffs],
    }


def verdict_json(verdict: Verdict) -> dict[str, Any]:
    """The verdict; each evidence item also says how the verdict counted it: `counted_once_with`
    (the claim id of the item above it that it repeats or copies, else null) and `leans` (for a
    neutral item whose lean the verdict counts, {"relation", "probability"}, else null)."""
    from claimcheck.verdict import lean, repeats

    merged = repeats(verdict.evidence)[1]
    evidence = []
    for e in verdict.evidence:
        leaning = lean(e)
        kept = merged.get(id(e))
        evidence.append({
            **evidence_json(e), "counted_once_with": None if kept is None else kept.claim.claim_id,
            "leans": None if leaning is None else {"relation": leaning[0], "probability": round(leaning[1], 4)},
        })
    return {
        "claim": verdict.claim, "verdict": verdict.verdict, "confidence": verdict.confidence,
        "rationale": verdict.rationale, "evidence": evidence,
    }


def relation_pair_json(pair: Conflict) -> dict[str, Any]:
    return {
        "a": claim_json(pair.a), "b": claim_json(pair.b), "relation": pair.kind,
        "score": round(pair.score, 4), "similarity": round(pair.similarity, 4),
        "reasons": list(pair.reasons), "diffs": [asdict(d) for d in pair.diffs],
    }


def conflict_json(conflict: Conflict) -> dict[str, Any]:
    return {
        "a": claim_json(conflict.a), "b": claim_json(conflict.b), "score": round(conflict.score, 4),
        "kind": conflict.kind, "reasons": list(conflict.reasons),
        "diffs": [asdict(d) for d in conflict.diffs], "similarity": round(conflict.similarity, 4),
        "p_refutes": None if conflict.p_refutes is None else round(conflict.p_refutes, 4),
        "also_in": [list(pair) for pair in conflict.also_in],
    }


def corroboration_json(group: Corroboration) -> dict[str, Any]:
    return {
        "claims": [claim_json(c) for c in group.claims], "sources": list(group.sources),
        "independent_sources": group.independent,
        "syndicated": [list(s) for s in group.syndicated], "score": round(group.score, 4),
    }


def extracted_claim_json(claim: Claim) -> dict[str, Any]:
    data = asdict(claim)
    data["checkworthiness"] = round(claim.checkworthiness, 4)
    return data


def info_json(info: IndexInfo) -> dict[str, Any]:
    return asdict(info)
