// A strict little well-formedness check for the SVG the report writes (tags, quotes, entities).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace finsent::report::testing {

// Returns "" when `xml` is one well-formed element tree made of start/end/empty tags with quoted
// attributes, text without raw '<' or '>', and only the five predefined or numeric entities;
// otherwise a description of the first problem. Enough for the subset SvgCanvas writes (no
// comments, CDATA or processing instructions other than a leading <?xml ...?>).
inline std::string xml_problem(std::string_view xml) {
  std::vector<std::string> open;
  size_t i = 0;
  bool seen_root = false;
  if (xml.substr(0, 5) == "<?xml") {
    i = xml.find("?>");
    if (i == std::string_view::npos) return "unterminated xml declaration";
    i += 2;
  }
  const auto check_entity = [&](size_t at) -> std::string {
    const size_t semi = xml.find(';', at);
    if (semi == std::string_view::npos || semi - at > 8) return "bare '&' at " + std::to_string(at);
    const std::string_view name = xml.substr(at + 1, semi - at - 1);
    if (name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos")
      return "";
    if (name.size() >= 2 && name[0] == '#') return "";
    return "unknown entity &" + std::string(name) + "; at " + std::to_string(at);
  };
  while (i < xml.size()) {
    const char c = xml[i];
    if (c == '&') {
      if (auto p = check_entity(i); !p.empty()) return p;
      ++i;
    } else if (c == '>') {
      return "raw '>' in text at " + std::to_string(i);
    } else if (c != '<') {
      if (open.empty() && c != '\n' && c != ' ')
        return "text outside the root element at " + std::to_string(i);
      ++i;
    } else {
      const bool closing = i + 1 < xml.size() && xml[i + 1] == '/';
      size_t j = i + (closing ? 2 : 1);
      const size_t name_start = j;
      while (j < xml.size() &&
             (std::isalnum(static_cast<unsigned char>(xml[j])) || xml[j] == '-' || xml[j] == ':'))
        ++j;
      const std::string name(xml.substr(name_start, j - name_start));
      if (name.empty()) return "tag without a name at " + std::to_string(i);
      bool empty_tag = false;
      // Attributes: name="value" with no '<' inside values and entities checked.
      while (true) {
        while (j < xml.size() && (xml[j] == ' ' || xml[j] == '\n')) ++j;
        if (j >= xml.size()) return "unterminated tag <" + name;
        if (xml[j] == '>') {
          ++j;
          break;
        }
        if (xml[j] == '/' && j + 1 < xml.size() && xml[j + 1] == '>') {
          empty_tag = true;
          j += 2;
          break;
        }
        if (closing) return "attributes on a closing tag </" + name;
        const size_t eq = xml.find('=', j);
        if (eq == std::string_view::npos || eq + 1 >= xml.size())
          return "attribute without value in <" + name;
        const char quote = xml[eq + 1];
        if (quote != '"' && quote != '\'') return "unquoted attribute in <" + name;
        const size_t end = xml.find(quote, eq + 2);
        if (end == std::string_view::npos) return "unterminated attribute in <" + name;
        for (size_t k = eq + 2; k < end; ++k) {
          if (xml[k] == '<') return "raw '<' in an attribute of <" + name;
          if (xml[k] == '&') {
            if (auto p = check_entity(k); !p.empty()) return p;
          }
        }
        j = end + 1;
      }
      if (closing) {
        if (open.empty() || open.back() != name) return "mismatched </" + name + ">";
        open.pop_back();
      } else if (!empty_tag) {
        if (open.empty() && seen_root) return "second root element <" + name + ">";
        seen_root = true;
        open.push_back(name);
      }
      i = j;
    }
  }
  if (!open.empty()) return "unclosed <" + open.back() + ">";
  if (!seen_root) return "no root element";
  return "";
}

}  // namespace finsent::report::testing
