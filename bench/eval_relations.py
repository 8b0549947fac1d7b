"""Evaluate the raw NLI model on held-out real data sets (zero-shot: none of them is trained on).

Per data set it prints accuracy, macro-F1, the confusion matrix and pairs/second, and writes
everything as JSON to ``bench/results/eval_relations_<tag>.json`` (git-ignored):

- ``sick_test``: SICK test, 3-way.
- ``fever_symmetric``: fever-symmetric dev (premise = evidence, hypothesis = claim); SUPPORTS vs
  REFUTES decided by P(entailment) >= P(contradiction).
- ``anli_r3``: ANLI R3 dev, 3-way (adversarial; report only).
- ``climate_fever``: every evidence sentence vs its claim, SUPPORTS / NOT_ENOUGH_INFO / REFUTES.
- ``fnc1``: headline vs body, agree / disagree / discuss / unrelated with the FNC-1 weighted score.
  Relatedness is not NLI's job: it comes from all-MiniLM cosine between headline and body (a
  fixed, untuned threshold), the stance from NLI on the body sentences closest to the headline.

Usage::

    python bench/eval_relations.py                       # committed int8 model, a few minutes
    python bench/eval_relations.py --limit 0             # every row of every set
    python bench/eval_relations.py --torch-checkpoint /tmp/claimcheck_nli/noaug --tag noaug
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("CLAIMCHECK_SHARED_DATA", REPO.parent / "shared" / "data"))
RESULTS = REPO / "bench" / "results"

from claimcheck.nli import NLI_LABELS, OnnxNLIModel

sys.path.insert(0, str(REPO / "bench"))
from common import detokenize_ptb, fnc_score

E, N, C = (NLI_LABELS.index(x) for x in ("entailment", "neutral", "contradiction"))
# Per-set row caps of the default run (seeded sample); --limit overrides them all, 0 = no cap.
DEFAULT_LIMITS = {"fnc1": 2000}
FNC_RELATED_THRESHOLD = 0.35  # all-MiniLM cosine; fixed a priori, not tuned on fnc1
FNC_TOP_SENTENCES = 3
SEED = 13

Pairs = list[tuple[str, str]]


# ---- data sets -------------------------------------------------------------------------------


def load_sick() -> tuple[Pairs, list[str]]:
    """SICK test: tab-separated id, sentence_A, sentence_B, score, label."""
    pairs, gold = [], []
    with open(SHARED / "sick" / "SICK_test_annotated.txt", encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 5 or cols[4].upper() not in ("ENTAILMENT", "NEUTRAL", "CONTRADICTION"):
                continue  # header or malformed row
            pairs.append((cols[1], cols[2]))
            gold.append(cols[4].lower())
    return pairs, gold


def load_fever_symmetric() -> tuple[Pairs, list[str]]:
    """fever-symmetric dev: (evidence, claim) with SUPPORTS / REFUTES, FEVER's Penn-Treebank
    escapes undone (`common.detokenize_ptb`)."""
    pairs, gold = [], []
    with open(SHARED / "fever-symmetric" / "dev.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            pairs.append((detokenize_ptb(r["evidence"]), detokenize_ptb(r["claim"])))
            gold.append({"SUPPORTS": "entailment", "REFUTES": "contradiction"}[r["label"]])
    return pairs, gold


def load_anli_r3() -> tuple[Pairs, list[str]]:
    """ANLI R3 dev (context, hypothesis, e|n|c)."""
    names = {"e": "entailment", "n": "neutral", "c": "contradiction"}
    pairs, gold = [], []
    with open(SHARED / "anli" / "R3_dev.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            pairs.append((r["context"], r["hypothesis"]))
            gold.append(names[r["label"]])
    return pairs, gold


def load_climate_fever() -> tuple[Pairs, list[str]]:
    """Climate-FEVER: each (evidence sentence, claim) with its evidence label."""
    names = {"SUPPORTS": "entailment", "REFUTES": "contradiction", "NOT_ENOUGH_INFO": "neutral"}
    pairs, gold = [], []
    with open(SHARED / "climate-fever" / "claims.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            for ev in r["evidences"]:
                pairs.append((ev["evidence"], r["claim"]))
                gold.append(names[ev["evidence_label"]])
    return pairs, gold


def load_fnc1() -> tuple[list[tuple[str, str]], list[str]]:
    """FNC-1: (body, headline) with agree / disagree / discuss / unrelated."""
    with open(SHARED / "fnc1" / "bodies.csv", encoding="utf-8") as fh:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(fh)}
    pairs, gold = [], []
    with open(SHARED / "fnc1" / "stances.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            pairs.append((bodies[r["Body ID"]], r["Headline"]))
            gold.append(r["Stance"])
    return pairs, gold


def sample(pairs: list, gold: list[str], limit: int) -> tuple[list, list[str]]:
    """A seeded sample of at most ``limit`` rows (all when 0)."""
    if not limit or limit >= len(pairs):
        return pairs, gold
    idx = sorted(random.Random(SEED).sample(range(len(pairs)), limit))
    return [pairs[i] for i in idx], [gold[i] for i in idx]


# ---- scoring ---------------------------------------------------------------------------------


def report(
    name: str, gold: Sequence[str], pred: Sequence[str], labels: Sequence[str], seconds: float
) -> dict:
    """Accuracy, macro-F1, confusion matrix (rows gold, columns predicted) and pairs/second."""
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

    cm = confusion_matrix(gold, pred, labels=list(labels))
    out = {
        "n": len(gold),
        "accuracy": round(float(accuracy_score(gold, pred)), 4),
        "macro_f1": round(float(f1_score(gold, pred, labels=list(labels), average="macro")), 4),
        "labels": list(labels),
        "confusion": cm.tolist(),
        "pairs_per_s": round(len(gold) / seconds, 1) if seconds else None,
    }
    print(
        f"\n== {name}: n={out['n']} accuracy={out['accuracy']:.4f} macro-F1={out['macro_f1']:.4f} "
        f"({out['pairs_per_s']} pairs/s)"
    )
    width = max(len(x) for x in labels) + 2
    print("gold \\ pred".ljust(width) + "".join(lab[:10].rjust(12) for lab in labels))
    for lab, row in zip(labels, cm):
        print(lab.ljust(width) + "".join(str(v).rjust(12) for v in row))
    return out


def timed(predict: Callable[[Pairs], np.ndarray], pairs: Pairs) -> tuple[np.ndarray, float]:
    """Probabilities and the seconds they took."""
    t = time.perf_counter()
    probs = predict(pairs)
    return probs, time.perf_counter() - t


def eval_three_way(name: str, predict: Callable, pairs: Pairs, gold: list[str]) -> dict:
    """Argmax over the three labels."""
    probs, sec = timed(predict, pairs)
    return report(name, gold, [NLI_LABELS[i] for i in probs.argmax(1)], NLI_LABELS, sec)


def eval_fever(predict: Callable, pairs: Pairs, gold: list[str]) -> dict:
    """Two-way: entailment vs contradiction, whichever is more probable (neutral ignored)."""
    probs, sec = timed(predict, pairs)
    pred = ["entailment" if p[E] >= p[C] else "contradiction" for p in probs]
    out = report("fever_symmetric (2-way)", gold, pred, ("entailment", "contradiction"), sec)
    out["three_way_argmax"] = {
        lab: int(v) for lab, v in zip(NLI_LABELS, np.bincount(probs.argmax(1), minlength=3))
    }
    return out


def _sentences(text: str) -> list[str]:
    """Body sentences (regex split; FNC bodies are news prose with blank-line paragraphs)."""
    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [p.strip() for p in parts if len(p.strip().split()) >= 4]


def _overlap(a: str, b: str) -> float:
    """Share of the headline's content words found in a sentence."""
    ta = {w for w in re.findall(r"[a-z0-9']+", a.lower()) if len(w) > 3}
    tb = set(re.findall(r"[a-z0-9']+", b.lower()))
    return len(ta & tb) / max(1, len(ta))


def eval_fnc1(predict: Callable, pairs: list[tuple[str, str]], gold: list[str]) -> dict:
    """Relatedness from embedding cosine, stance from NLI on the closest body sentences."""
    from sentence_transformers import SentenceTransformer
    from sklearn.metrics import confusion_matrix

    from claimcheck.embed import packaged_model_dir

    t = time.perf_counter()
    st = SentenceTransformer(str(packaged_model_dir()), device="cpu", local_files_only=True)
    bodies = sorted({b for b, _ in pairs})
    heads = sorted({h for _, h in pairs})
    bvec = dict(zip(bodies, st.encode(bodies, batch_size=32, normalize_embeddings=True)))
    hvec = dict(zip(heads, st.encode(heads, batch_size=64, normalize_embeddings=True)))
    cos = np.array([float(bvec[b] @ hvec[h]) for b, h in pairs])
    related = cos >= FNC_RELATED_THRESHOLD
    embed_sec = time.perf_counter() - t
    # Premise: the few body sentences that share most words with the headline, in body order;
    # a whole body is far past max_length and mostly about other things.
    premises = []
    for body, head in pairs:
        sents = _sentences(body) or [body]
        top = sorted(
            sorted(range(len(sents)), key=lambda i: -_overlap(head, sents[i]))[:FNC_TOP_SENTENCES]
        )
        premises.append(" ".join(sents[i] for i in top))
    nli_idx = [i for i in range(len(pairs)) if related[i]]
    probs, sec = timed(predict, [(premises[i], pairs[i][1]) for i in nli_idx])
    stance = {
        NLI_LABELS.index("entailment"): "agree",
        NLI_LABELS.index("contradiction"): "disagree",
        NLI_LABELS.index("neutral"): "discuss",
    }
    pred = ["unrelated"] * len(pairs)
    for i, p in zip(nli_idx, probs):
        pred[i] = stance[int(p.argmax())]
    labels = ("agree", "disagree", "discuss", "unrelated")
    out = report("fnc1", gold, pred, labels, sec)
    out["fnc_weighted_score"] = round(fnc_score(gold, pred), 4)
    rel_gold = np.array([g != "unrelated" for g in gold])
    out["relatedness_accuracy"] = round(float((rel_gold == related).mean()), 4)
    rel = [i for i in range(len(gold)) if gold[i] != "unrelated" and related[i]]
    out["stance_accuracy_on_related"] = (
        round(float(np.mean([pred[i] == gold[i] for i in rel])), 4) if rel else None
    )
    # A second, fixed (not tuned) reading of the same probabilities: FNC "discuss" bodies report a
    # claim without taking sides, so only a confident NLI call becomes agree / disagree.
    alt = ["unrelated"] * len(pairs)
    for i, p in zip(nli_idx, probs):
        alt[i] = "agree" if p[E] >= 0.6 else "disagree" if p[C] >= 0.8 else "discuss"
    out["fnc_weighted_score_discuss_default"] = round(fnc_score(gold, alt), 4)
    out["confusion_discuss_default"] = confusion_matrix(gold, alt, labels=list(labels)).tolist()
    out["embedding_seconds"] = round(embed_sec, 1)
    out["nli_pairs"] = len(nli_idx)
    print(
        f"FNC-1 weighted score {out['fnc_weighted_score']:.4f} (argmax stance), "
        f"{out['fnc_weighted_score_discuss_default']:.4f} (discuss unless P(e)>=0.6 / P(c)>=0.8); relatedness accuracy "
        f"{out['relatedness_accuracy']:.4f}; stance accuracy on truly related & kept {out['stance_accuracy_on_related']}"
    )
    return out


# ---- models ----------------------------------------------------------------------------------


def torch_predictor(checkpoint: Path, max_length: int) -> Callable[[Pairs], np.ndarray]:
    """A fine-tuned torch checkpoint (ablation runs) with the same interface as OnnxNLIModel."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoTokenizer, BertForSequenceClassification

    torch.set_num_threads(2)
    from claimcheck.embed import packaged_model_dir

    tok = AutoTokenizer.from_pretrained(str(packaged_model_dir()), local_files_only=True)
    model = BertForSequenceClassification.from_pretrained(
        str(checkpoint), local_files_only=True
    ).eval()
    labels = tuple(model.config.id2label[i] for i in range(3))
    assert labels == NLI_LABELS, labels

    def predict(pairs: Pairs) -> np.ndarray:
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        out = np.zeros((len(pairs), 3), dtype=np.float32)
        with torch.inference_mode():
            for s in range(0, len(order), 32):
                idx = order[s : s + 32]
                enc = tok(
                    [pairs[i][0] for i in idx],
                    [pairs[i][1] for i in idx],
                    truncation="only_first",
                    max_length=max_length,
                    padding=True,
                    return_tensors="pt",
                )
                out[idx] = torch.softmax(model(**enc).logits, -1).numpy()
        return out

    return predict


def throughput(predict: Callable[[Pairs], np.ndarray], pairs: Pairs) -> float:
    """Short pairs per second (SICK sentences, the model's own batching), after one warm-up batch."""
    predict(pairs[:32])
    _, sec = timed(predict, pairs)
    return round(len(pairs) / sec, 1)


def main() -> None:
    """Run every data set and write the JSON results."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--limit", type=int, default=None, help="rows per data set (seeded sample); 0 = all"
    )
    ap.add_argument("--sets", default="sick_test,fever_symmetric,anli_r3,climate_fever,fnc1")
    ap.add_argument(
        "--model-dir", type=Path, default=None, help="ONNX model dir (default: committed)"
    )
    ap.add_argument(
        "--torch-checkpoint", type=Path, default=None, help="evaluate a torch checkpoint instead"
    )
    ap.add_argument("--max-length", type=int, default=256)
    ap.add_argument("--tag", default="int8")
    args = ap.parse_args()

    if args.torch_checkpoint:
        predict = torch_predictor(args.torch_checkpoint, args.max_length)
    else:
        model = OnnxNLIModel(args.model_dir, max_length=args.max_length)
        predict = model.predict
    loaders = {
        "sick_test": load_sick,
        "fever_symmetric": load_fever_symmetric,
        "anli_r3": load_anli_r3,
        "climate_fever": load_climate_fever,
        "fnc1": load_fnc1,
    }
    results: dict = {
        "tag": args.tag,
        "model": str(args.torch_checkpoint or args.model_dir or "committed int8"),
        "max_length": args.max_length,
    }
    for name in args.sets.split(","):
        limit = args.limit if args.limit is not None else DEFAULT_LIMITS.get(name, 0)
        pairs, gold = sample(*loaders[name](), limit)
        if name == "fever_symmetric":
            results[name] = eval_fever(predict, pairs, gold)
        elif name == "fnc1":
            results[name] = eval_fnc1(predict, pairs, gold)
        else:
            results[name] = eval_three_way(name, predict, pairs, gold)
        results[name]["limit"] = limit
    if "sick_test" in results:
        pairs, _ = load_sick()
        results["throughput_short_pairs_per_s"] = throughput(predict, pairs[:2000])
        print(
            f"\nthroughput: {results['throughput_short_pairs_per_s']} short pairs/s (SICK, 2 threads)"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"eval_relations_{args.tag}.json"
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"results written to {out}")


if __name__ == "__main__":
    main()
