#pragma once
// multipart/form-data bodies (RFC 7578) with one file part: how Jira and
// GitLab take uploads (Jira: field `file`; GitLab: field `file` of
// /projects/:id/uploads). Only what those uploads need, not a general encoder.
#include <string>

namespace chaosgate::http {

// A boundary that is vanishingly unlikely to occur in any content: a fixed
// prefix and 32 random hex digits.
std::string multipart_boundary();

// The Content-Type header value for a body built with `boundary`:
// "multipart/form-data; boundary=<boundary>".
std::string multipart_content_type(const std::string& boundary);

// The whole body: one part named `field_name` holding `content` as the file
// `filename` of type `media_type`, then the closing delimiter. Quotes,
// backslashes and line breaks in `field_name` / `filename` are escaped as
// browsers do (%22, %0D, %0A) so they cannot end the header early. The caller
// chooses a boundary that does not occur in `content` (multipart_boundary()).
std::string multipart_body(const std::string& boundary, const std::string& field_name, const std::string& filename,
                           const std::string& media_type, const std::string& content);

}  // namespace chaosgate::http
