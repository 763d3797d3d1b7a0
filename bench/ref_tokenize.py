#!/usr/bin/env python3
"""Reference for bench row 2: Hugging Face tokenizers (Rust) encoding every PhraseBank sentence with
the bert-base-uncased WordPiece pipeline (lowercase, accents stripped, [CLS] ... [SEP]).

Usage: ref_tokenize.py VOCAB_TXT PHRASEBANK_TXT
Thread count comes from the environment, read when the Rust pool starts: RAYON_NUM_THREADS and
TOKENIZERS_PARALLELISM (bench/harness.py sets both). Prints {"seconds", "sentences", "tokens"} for
one encode_batch over all sentences (after one warm-up pass).
"""
import sys
import time

from ref_common import emit, load_phrasebank
from tokenizers import BertWordPieceTokenizer


def main():
    tokenizer = BertWordPieceTokenizer(sys.argv[1], lowercase=True, strip_accents=None, clean_text=True,
                                       handle_chinese_chars=True)
    vocab_lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
    assert tokenizer.get_vocab_size() == len(vocab_lines), (tokenizer.get_vocab_size(), len(vocab_lines))
    sentences = [t for t, _ in load_phrasebank(sys.argv[2])]
    tokenizer.encode_batch(sentences)  # warm-up: vocabulary caches, thread pool
    start = time.perf_counter()
    encodings = tokenizer.encode_batch(sentences)
    seconds = time.perf_counter() - start
    unk = tokenizer.token_to_id("[UNK]")
    assert sum(e.ids.count(unk) for e in encodings) < len(encodings), "mostly [UNK]: wrong vocabulary"
    emit({"seconds": seconds, "sentences": len(sentences), "tokens": sum(len(e.ids) for e in encodings)})


if __name__ == "__main__":
    main()
