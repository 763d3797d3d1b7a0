// BertNormalizer steps over code points from utf8proc, keeping the reference's offset alignments.
#include "bert_normalizer.hpp"

#include <utf8proc.h>

#include <algorithm>

#include "utf8_decode.hpp"

namespace finsent::text {
namespace {

bool is_ascii_punctuation(char32_t c) {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) ||
         (c >= 123 && c <= 126);
}

// Rust's char::is_control-like test the reference uses: categories Cc, Cf, Co, Cs. Unassigned
// code points (Cn) are kept, as the reference's unicode_categories tables keep them.
bool is_other(char32_t cp) {
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_CO:
    case UTF8PROC_CATEGORY_CS:
      return true;
    default:
      return false;
  }
}

}  // namespace

bool is_control(char32_t cp) {
  if (cp == '\t' || cp == '\n' || cp == '\r') return false;
  if (cp < 0x80) return cp < 0x20 || cp == 0x7F;
  return is_other(cp);
}

bool is_whitespace_for_clean(char32_t cp) {
  return cp == '\t' || cp == '\n' || cp == '\r' || is_unicode_whitespace(cp);
}

bool is_unicode_whitespace(char32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= 9 && cp <= 13);
  if (cp == 0x85) return true;
  const auto category = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return category == UTF8PROC_CATEGORY_ZS || category == UTF8PROC_CATEGORY_ZL ||
         category == UTF8PROC_CATEGORY_ZP;
}

bool is_bert_punctuation(char32_t cp) {
  if (cp < 0x80) return is_ascii_punctuation(cp);
  const auto category = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return category >= UTF8PROC_CATEGORY_PC && category <= UTF8PROC_CATEGORY_PO;
}

bool is_chinese_char(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F) ||
         (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

BertNormalizer::BertNormalizer(const NormalizerOptions& options)
    : options_(options), strip_accents_(options.strip_accents.value_or(options.lowercase)) {}

void BertNormalizer::normalize(std::string_view text, uint32_t begin, uint32_t end,
                               std::vector<NormChar>& out, std::vector<NormChar>& scratch) const {
  out.clear();
  bool all_ascii = true;
  // clean_text and handle_chinese_chars act on one character at a time, so they share one pass.
  for (uint32_t i = begin; i < end;) {
    char32_t cp;
    const auto len = static_cast<uint32_t>(decode_utf8(text.substr(0, end), i, cp));
    const NormChar c{cp, i, i + len};
    i += len;
    if (options_.clean_text) {
      if (cp == 0 || cp == kReplacementChar || is_control(cp)) continue;
      if (is_whitespace_for_clean(cp)) {
        out.push_back({U' ', c.begin, c.end});
        continue;
      }
    }
    if (cp >= 0x80) {
      all_ascii = false;
      if (options_.handle_chinese_chars && is_chinese_char(cp)) {
        out.push_back({U' ', c.begin, c.end});
        out.push_back(c);
        out.push_back({U' ', c.begin, c.end});
        continue;
      }
    }
    out.push_back(c);
  }
  if (all_ascii) {  // NFD is the identity on ASCII and no ASCII character is a mark
    if (options_.lowercase) {
      for (auto& c : out) {
        if (c.cp >= 'A' && c.cp <= 'Z') c.cp += 'a' - 'A';
      }
    }
    return;
  }
  if (strip_accents_) strip_accents(out, scratch, begin);
  if (options_.lowercase) lowercase(out, scratch);
}

void BertNormalizer::strip_accents(std::vector<NormChar>& chars, std::vector<NormChar>& scratch,
                                   uint32_t segment_begin) const {
  // NFD, as unicode-normalization-alignments produces it: each source character yields its
  // decomposition; the first output character "replaces" the source (change 0), the others are
  // "inserted" (change 1). Canonical ordering then stably sorts runs of non-starters by combining
  // class, moving the change marks with the characters. Alignments are then assigned by position,
  // as NormalizedString::transform does.
  struct Decomposed {
    char32_t cp;
    uint8_t ccc;
    bool inserted;
  };
  thread_local std::vector<Decomposed> nfd;
  nfd.clear();
  size_t run_start = 0;  // first non-starter of the current run
  const auto flush_run = [&](size_t run_end) {
    std::stable_sort(nfd.begin() + static_cast<ptrdiff_t>(run_start),
                     nfd.begin() + static_cast<ptrdiff_t>(run_end),
                     [](const Decomposed& a, const Decomposed& b) { return a.ccc < b.ccc; });
  };
  for (const auto& c : chars) {
    utf8proc_int32_t buffer[32];
    utf8proc_ssize_t n = 1;
    if (c.cp < 0x80) {
      buffer[0] = static_cast<utf8proc_int32_t>(c.cp);
    } else {
      int last_boundclass = 0;
      n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(c.cp), buffer, 32,
                                  UTF8PROC_DECOMPOSE, &last_boundclass);
      if (n <= 0 || n > 32) {
        buffer[0] = static_cast<utf8proc_int32_t>(c.cp);
        n = 1;
      }
    }
    for (utf8proc_ssize_t k = 0; k < n; ++k) {
      const char32_t d = static_cast<char32_t>(buffer[k]);
      const uint8_t ccc =
          d < 0x300 ? 0 : static_cast<uint8_t>(utf8proc_get_property(buffer[k])->combining_class);
      if (ccc == 0) {
        flush_run(nfd.size());
        run_start = nfd.size() + 1;
      }
      nfd.push_back({d, ccc, k > 0});
    }
  }
  flush_run(nfd.size());

  scratch.clear();
  size_t consumed = 0;  // source characters consumed so far
  for (const auto& d : nfd) {
    NormChar aligned{d.cp, segment_begin, segment_begin};
    if (!d.inserted) {
      aligned.begin = chars[consumed].begin;
      aligned.end = chars[consumed].end;
      ++consumed;
    } else if (consumed > 0) {
      aligned.begin = chars[consumed - 1].begin;
      aligned.end = chars[consumed - 1].end;
    }
    // Filtering nonspacing marks never changes the alignment of the characters that stay.
    if (d.cp >= 0x300 &&
        utf8proc_category(static_cast<utf8proc_int32_t>(d.cp)) == UTF8PROC_CATEGORY_MN) {
      continue;
    }
    scratch.push_back(aligned);
  }
  chars.swap(scratch);
}

void BertNormalizer::lowercase(std::vector<NormChar>& chars, std::vector<NormChar>& scratch) const {
  scratch.clear();
  for (const auto& c : chars) {
    if (c.cp < 0x80) {
      scratch.push_back({c.cp >= 'A' && c.cp <= 'Z' ? c.cp + ('a' - 'A') : c.cp, c.begin, c.end});
    } else if (c.cp == 0x130) {
      // The one full lowercase mapping (Rust char::to_lowercase) that is longer than one
      // character: LATIN CAPITAL LETTER I WITH DOT ABOVE -> "i" + COMBINING DOT ABOVE.
      scratch.push_back({U'i', c.begin, c.end});
      scratch.push_back({0x307, c.begin, c.end});
    } else {
      const auto lower = utf8proc_tolower(static_cast<utf8proc_int32_t>(c.cp));
      scratch.push_back({static_cast<char32_t>(lower), c.begin, c.end});
    }
  }
  chars.swap(scratch);
}

}  // namespace finsent::text
