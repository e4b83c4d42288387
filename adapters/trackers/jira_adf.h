#pragma once
// Markdown -> Atlassian Document Format (ADF), the rich-text JSON that Jira
// Cloud's REST API v3 takes for descriptions and comments. It covers the
// Markdown the gate writes (gate/tickets/ticket.cpp), correctly rather than
// exhaustively: ATX headings, paragraphs, bullet and ordered lists (one level;
// "- [ ]" / "- [x]" task items become bullets starting with a ballot box),
// pipe tables, thematic breaks, fenced code blocks; inline code spans,
// **strong**, [links](url) and backslash escapes. Anything else is kept as
// plain text, never dropped.
#include <nlohmann/json.hpp>
#include <string>

namespace chaosgate::trackers {

// {"type": "doc", "version": 1, "content": [...]}: a valid ADF document for
// any input (an empty or blank text gives an empty `content`). Text nodes are
// never empty; a code mark is only ever combined with a link mark, as ADF
// requires.
nlohmann::json markdown_to_adf(const std::string& markdown);

}  // namespace chaosgate::trackers
