#pragma once
// Markdown -> Jira wiki markup, the text format of Jira Data Center's REST API
// v2 descriptions and comments. Parsed once, by markdown_to_adf() (the same
// blocks and marks as Cloud gets), and rendered from that tree, so both
// flavours show the same ticket.
#include <nlohmann/json.hpp>
#include <string>

namespace chaosgate::trackers {

// Wiki markup for `markdown`: "h2. " headings, "* " / "# " lists, "||head||"
// and "|cell|" tables, "----" rules, {noformat} code blocks, {{code}},
// *strong*, [label|url]. Characters that wiki markup would read as
// formatting (|, {, [, !, a "*" or "-" at a word boundary, emoticons such as
// "(x)") are escaped with a backslash so the text shows as written.
std::string markdown_to_wiki(const std::string& markdown);

// The same for an ADF document as markdown_to_adf() builds it; nodes it does
// not know are rendered as their text.
std::string adf_to_wiki(const nlohmann::json& document);

}  // namespace chaosgate::trackers
