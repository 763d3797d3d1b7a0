#!/usr/bin/env python3
"""Regenerates tests/fixtures/text/* with Hugging Face `tokenizers` (the reference; tests never run this).

Usage: /opt/ref/bin/python tools/make_tokenizer_fixtures.py [SHARED_DATA_DIR]
(SHARED_DATA_DIR defaults to ../shared/data; it holds bert-base-uncased/vocab.txt and
FinancialPhraseBank-v1.0/Sentences_50Agree.txt.)

Offsets: the Python binding reports character offsets; the fixtures store UTF-8 byte offsets
(what finsent reports), converted here from the characters of the same string.
"""
import json
import random
import sys
from pathlib import Path

from tokenizers import AddedToken, Tokenizer, decoders, normalizers, pre_tokenizers, processors
from tokenizers.models import WordPiece

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "text"
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def bert_tokenizer(vocab, lowercase=True, strip_accents=None):
    """The tokenizer bert-base-uncased's tokenizer.json describes, built from a vocab dict."""
    tok = Tokenizer(WordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=True, strip_accents=strip_accents, lowercase=lowercase)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])])
    tok.decoder = decoders.WordPiece(prefix="##", cleanup=True)
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in SPECIALS if t in vocab])
    return tok


def byte_offsets(text, offsets):
    starts = [0]
    for ch in text:
        starts.append(starts[-1] + len(ch.encode("utf-8")))
    return [[starts[b], starts[e]] for b, e in offsets]


def fnv1a64(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def digest(text, enc, decoded):
    """Canonical text of one encoding, hashed; tests/text recompute it the same way."""
    parts = []
    for i, t, (b, e) in zip(enc.ids, enc.tokens, byte_offsets(text, enc.offsets)):
        parts.append(f"{i}:{b}:{e}:{t}\n")
    parts.append("decoded:" + decoded)
    return "%016x" % fnv1a64("".join(parts).encode("utf-8"))


def phrasebank_sentences(path):
    data = path.read_bytes().decode("iso-8859-1")
    out = []
    for line in data.split("\n"):  # CRLF/LF only: str.splitlines would also split on \x85 etc.
        line = line[:-1] if line.endswith("\r") else line
        if not line.strip():
            continue
        out.append(line.rsplit("@", 1)[0])
    return out


def adversarial_strings():
    s = [
        "", " ", "\n", "\t\t", "Hello, World!", "hello world", "HELLO WORLD",
        "Café résumé naïve façade", "ÅNGSTRÖM Ärger Öl Übel", "İstanbul İZMİR", "straße STRASSE ß",
        "ﬁnance ﬂow", "Ǆemal ǅ ǆ", "ΣΊΣΥΦΟΣ σίσυφος", "Привет, мир!", "مَرْحَبًا بالعالم", "שָׁלוֹם",
        "नमस्ते दुनिया", "สวัสดีชาวโลก", "Tiếng Việt có dấu", "안녕하세요 세계", "こんにちは世界", "カタカナ ｶﾀｶﾅ",
        "我爱北京天安门", "中文english混合", "𠀀𠀁𠀂 ext-B", "㐀㐁 ext-A", "豈更車 compat", "😀👍🏽👨‍👩‍👧‍👦🇫🇮",
        "profit 📈 loss 📉", "a\u200bb", "a\u200cb\u200dc", "\ufeffBOM at start", "co\u00adoperate",
        "ctrl\x01\x02\x7fchars", "nul\x00byte", "rep\ufffdlacement", "tab\tnew\nline\rcr",
        "e\u0301\u0323", "a\u0323\u0301", "\u0301starts with a mark", "q\u0307\u0323 z\u0323\u0307",
        "\u0344\u0308x", "x\u0301\u0301\u0301", "ＡＢＣ１２３ full width", "𝐀𝐁𝐂 math bold", "x² H₂O",
        "① ② ③", "Ⅻ ⅻ", "ı dotless", "\u212a kelvin \u2126 ohm", "\ue000 private use", "\u0378 unassigned",
        "\U000e0041 tag", "❤\ufe0f variation", "EUR 1,5 mn", "€100 £50 ¥20", "$5.2bn", "+5.3 %",
        "Q1/2010", "S&P 500", "AT&T", "e-mail", "don't won't", "it's O'Neil", "3.14159", "1/2 ½ ‰",
        "– — ‒ ―", "“quoted” ‘single’", "…ellipsis…", "«guillemets» ‹›", "• bullet", "§ 12",
        "©®™", "25°C", "!!!???", "...", "a.b.c", "#hashtag @mention", "http://example.com/a?b=c&d",
        "user@example.com", "C++ C# F#", "x=y+z*2", "[CLS]", "[cls]", "[CLS][SEP]", "hello[SEP]world",
        "[MASK] is here", "[[CLS]]", "[UNK]", "[PAD] [PAD]", "[ CLS ]", "[CLS", "CLS]", "[unused0]",
        "[Cls]", "[SEP]", " [CLS] ", "x[MASK]y", "[CLS]é[SEP]", "Öljy-yhtiö Neste", "Äänekoski",
        "Finnish ä ö å Å", "Ångström", "unaffable", "UNAFFABLE", "supercalifragilisticexpialidocious",
        "a" * 99, "a" * 100, "a" * 101, "é" * 100, "é" * 101, "x" * 500, "1234567890" * 12,
        ("word " * 60).strip(), "ab" * 50 + " end", "pneumonoultramicroscopicsilicovolcanoconiosis",
        "\u3000ideographic space", "mixed ΑΒΓ abc АБВ", "ǰ ẖ ẘ", "Ⅰ ⅰ", "ǅ", "ﬀ ﬃ", "Å Å Å",
        "ḉ ḉ", "한국어 ᄒᆞᆫ", "\u1100\u1161\u11a8", "ＴＯＫＹＯ", "ｈｔｔｐ", "∑∏∫", "→ ← ↔", "½⅓¼",
        "\u00a0nbsp\u00a0", "\u2028line sep\u2029", "\u0085next line", "\x0bvt\x0cff", "\x1c\x1d\x1e\x1f",
        "\u180emongolian", "\u2060word joiner", "\u2061\u2062\u2063\u2064", "\u202a\u202b\u202c\u202d\u202e",
        "\u200e\u200f marks", "\u061c arabic mark", "\u00ad", "\u034f cgj", "\U0001d173 music",
        "\U0001f600\U0001f601", "\U0010fffd", "\U000f0000 plane 15", "ÿ Ÿ", "ŉ", "ﬅ", "ǈ", "Ǉ",
    ]
    ws = [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680] + list(range(0x2000, 0x200C)) + \
         [0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0x180E, 0xFEFF, 0x1C, 0x1D, 0x1E, 0x1F]
    s += [f"a{chr(c)}b" for c in ws]
    s += [f"x{chr(c)}y" for c in range(0xA0, 0x100)]
    s += [f"p{chr(c)}q" for c in range(0x2010, 0x2060)]
    s += [f"m{chr(c)}n" for c in range(0x3000, 0x3040, 3)]
    rng = random.Random(20240601)
    alphabet = list("abcXYZ019 .,!?'-$%&[]#@") + ["é", "Ö", "ß", "İ", "ﬁ", "中", "国", "😀", "\u0301",
        "\u0323", "\u200b", "\u00a0", "\t", "\n", "\x00", "\x7f", "\u3000", "Σ", "ς", "ǅ", "ı", "\ufeff",
        "[CLS]", "[SEP]", "[MASK]", "[cls]", "한", "ｶ", "ア", "א", "\u05b7", "ـ", "🇫", "🏽", "‍"]
    for _ in range(120):
        s.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))))
    return s


def main():
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    vocab_lines = (shared / "bert-base-uncased" / "vocab.txt").read_text(encoding="utf-8").split("\n")
    if vocab_lines and vocab_lines[-1] == "":
        vocab_lines.pop()
    vocab = {}
    for i, t in enumerate(vocab_lines):
        vocab[t.rstrip()] = i
    tok = bert_tokenizer(vocab)
    assert len(vocab) == len(vocab_lines) == 30522 and tok.get_vocab_size() == len(vocab), len(vocab)
    assert tok.encode("Operating profit rose").tokens == ["[CLS]", "operating", "profit", "rose", "[SEP]"]
    OUT.mkdir(parents=True, exist_ok=True)

    # 1) Every PhraseBank sentence: token count and a digest of ids, tokens, byte offsets, decode.
    sentences = phrasebank_sentences(shared / "FinancialPhraseBank-v1.0" / "Sentences_50Agree.txt")
    with open(OUT / "phrasebank50_digests.txt", "w", encoding="utf-8") as f:
        f.write("# n_tokens digest per line of Sentences_50Agree.txt (tools/make_tokenizer_fixtures.py)\n")
        for text in sentences:
            enc = tok.encode(text)
            f.write(f"{len(enc.ids)} {digest(text, enc, tok.decode(enc.ids))}\n")
    # The first sentences in full, readable, to show what a mismatch looks like.
    # 2) Adversarial strings in full.
    with open(OUT / "adversarial.jsonl", "w", encoding="utf-8") as f:
        cases = adversarial_strings() + sentences[:20]
        for text in cases:
            enc = tok.encode(text)
            row = {"text": text, "ids": enc.ids, "tokens": enc.tokens,
                   "offsets": byte_offsets(text, enc.offsets),
                   "decoded": tok.decode(enc.ids),
                   "decoded_specials": tok.decode(enc.ids, skip_special_tokens=False)}
            f.write(json.dumps(row, ensure_ascii=True) + "\n")
    # 3) Pairs and truncation (longest-first) with and without special tokens.
    rng = random.Random(7)
    adv = adversarial_strings()
    with open(OUT / "pairs.jsonl", "w", encoding="utf-8") as f:
        for k in range(150):
            a = rng.choice(sentences + adv)
            b = rng.choice([None, None] + sentences + adv)
            max_length = rng.choice([None, 0, 1, 2, 3, 4, 5, 8, 16, 32, 64])
            specials = rng.random() < 0.8
            if max_length is None:
                tok.no_truncation()
            else:
                tok.enable_truncation(max_length=max_length)
            enc = tok.encode(a, b, add_special_tokens=specials) if b is not None else \
                tok.encode(a, add_special_tokens=specials)
            offs = []
            for seq, (s, e) in zip(enc.sequence_ids, enc.offsets):
                src = b if seq == 1 else a
                offs.append(byte_offsets(src, [(s, e)])[0] if seq is not None else [0, 0])
            f.write(json.dumps({"a": a, "b": b, "max_length": max_length, "specials": specials,
                                "ids": enc.ids, "type_ids": enc.type_ids, "tokens": enc.tokens,
                                "offsets": offs}, ensure_ascii=True) + "\n")
        tok.no_truncation()

    # 4) A small cased tokenizer.json, saved by the reference, and what it gives.
    small = SPECIALS + list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?'-éÉ中") + \
        ["Hello", "hello", "World", "world", "##s", "##ing", "##ed", "Fin", "##ance", "Café", "token",
         "##izer", "un", "##believ", "##able", "##a", "##b", "##e", "##l", "##o", "##é"]
    small_vocab = {t: i for i, t in enumerate(dict.fromkeys(small))}
    cased = bert_tokenizer(small_vocab, lowercase=False, strip_accents=False)
    cased.save(str(OUT / "small_cased_tokenizer.json"))
    with open(OUT / "small_cased_expected.jsonl", "w", encoding="utf-8") as f:
        for text in ["Hello World", "hello world", "Café Finance", "tokenizers unbelievable",
                     "Éa中b [CLS] x", "HELLO", "Helloing", "zzz qqq", "Café", "Cafe\u0301"]:
            enc = cased.encode(text)
            f.write(json.dumps({"text": text, "ids": enc.ids, "tokens": enc.tokens,
                                "offsets": byte_offsets(text, enc.offsets)}, ensure_ascii=True) + "\n")
    print(f"{len(sentences)} PhraseBank sentences, {len(adversarial_strings())} adversarial strings")
    print(f"{unicode_table(OUT / 'unicode_reference.txt')} code-point runs in unicode_reference.txt")

    # Cross-check: transformers' BertTokenizerFast from the same vocab gives the same ids.
    try:
        from transformers import BertTokenizerFast
        fast = BertTokenizerFast(str(shared / "bert-base-uncased" / "vocab.txt"))
        assert len(fast) == len(vocab), f"transformers' tokenizer has {len(fast)} tokens, not {len(vocab)}"
        bad = sum(fast(t)["input_ids"] != tok.encode(t).ids for t in sentences + adversarial_strings())
        print(f"transformers BertTokenizerFast disagrees on {bad} strings")
        assert bad == 0
    except ImportError:
        pass



def unicode_table(path):
    """The reference's per-code-point behaviour, compactly.

    "r FIRST LAST CLEAN SPLIT": a run of code points (hex) that clean_text and the pre-tokenizer
    treat alike. CLEAN: R removed / W becomes a space / K kept (clean_text alone, inside "x?x").
    SPLIT: S whitespace / P punctuation / N neither (BertPreTokenizer, inside "x?x").
    "m CP STRIP LOWER": a code point that strip_accents alone or lowercase alone changes, each
    written as "-" (removed) or comma-separated hex code points; every other one is unchanged.
    "h FIRST LAST": Hangul syllables, which strip_accents decomposes algorithmically (L V [T])
    and lowercase keeps; checked here and not listed one by one.
    """
    from tokenizers import normalizers, pre_tokenizers
    clean = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=False, strip_accents=False, lowercase=False)
    strip = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=True, lowercase=False)
    lower = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=False, lowercase=True)
    pre = pre_tokenizers.BertPreTokenizer()

    def hangul(cp):
        s_index = cp - 0xAC00
        out = [chr(0x1100 + s_index // 588), chr(0x1161 + (s_index % 588) // 28)]
        if s_index % 28:
            out.append(chr(0x11A7 + s_index % 28))
        return "".join(out)

    def seq(out):
        return ",".join("%x" % ord(c) for c in out) or "-"

    runs, maps = [], []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        a = clean.normalize_str("x" + c + "x")
        cl = "R" if a == "xx" else ("W" if a == "x x" else "K")
        parts = len(pre.pre_tokenize_str("x" + c + "x"))
        sp = "P" if parts == 3 else ("S" if parts == 2 else "N")
        if runs and runs[-1][2:] == [cl, sp] and (runs[-1][1] == cp - 1 or cp == 0xE000):
            runs[-1][1] = cp
        else:
            runs.append([cp, cp, cl, sp])
        st, lo = strip.normalize_str(c), lower.normalize_str(c)
        if 0xAC00 <= cp <= 0xD7A3:
            assert st == hangul(cp) and lo == c, hex(cp)
        elif st != c or lo != c:
            maps.append((cp, seq(st), seq(lo)))
    with open(path, "w", encoding="ascii") as f:
        f.write("# tokenizers BertNormalizer/BertPreTokenizer per code point (tools/make_tokenizer_fixtures.py)\n")
        for first, last, cl, sp in runs:
            f.write("r %x %x %s %s\n" % (first, last, cl, sp))
        f.write("h ac00 d7a3\n")
        for cp, st, lo in maps:
            f.write("m %x %s %s\n" % (cp, st, lo))
    return len(runs) + len(maps)


if __name__ == "__main__":
    main()
