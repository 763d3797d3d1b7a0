// Escaping of untrusted text (sentences, labels, paths) for XML/HTML and for CommonMark.
#pragma once

#include <string>
#include <string_view>

namespace finsent::report {

// Text safe inside XML/HTML element content and double- or single-quoted attribute values:
// & < > " ' become entities. Bytes that XML 1.0 forbids (C0 controls other than tab, newline and
// carriage return) and invalid UTF-8 become U+FFFD, so an SVG built from any input still parses.
std::string xml_escape(std::string_view text);

// Text that CommonMark renders literally inside a paragraph or list item: inline punctuation that
// could start emphasis, links, code, HTML or entities is backslash-escaped, a leading block marker
// (#, >, -, +, "1. ") is escaped, and line breaks become spaces (one paragraph, one line).
std::string markdown_escape(std::string_view text);

// As markdown_escape, for a cell of a pipe table: '|' is escaped too, block markers are not (a cell
// cannot open a block, and "0.5" should stay as it is).
std::string markdown_cell(std::string_view text);

// An inline code span holding `text` verbatim: delimited by one more backtick than the longest
// backtick run inside, padded with a space when the text starts or ends with a backtick.
std::string markdown_code_span(std::string_view text);

// A fenced code block holding `text` verbatim (fence longer than any backtick run inside).
std::string markdown_code_block(std::string_view text);

}  // namespace finsent::report
