// An object on a remote store (S3, an HTTP(S) server) read as an InputFile. Opening costs
// one request: a suffix range GET that gives the size and the last bytes (the footer,
// usually whole); reads of those bytes are then served from memory. Other reads are range
// GETs, run concurrently by read_many, each checked against the object seen at open so that
// an object replaced mid-read fails instead of mixing two versions. An optional bounded
// cache keeps fetched ranges for reads that come back to them (bloom filters,
// dictionaries, repeated scans).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "io/ranged_get.h"
#include "parkett/input_file.h"

namespace parkett::io {

/// True for "http://..." and "https://...".
bool is_http_url(std::string_view path);
/// True for paths on a remote store (S3 or HTTP(S)), false for local paths.
bool is_remote_url(std::string_view path);
/// `path` as messages show it: an http(s) URL without its query and fragment (a presigned
/// URL's query holds its signature), any other path as it is.
std::string url_for_messages(std::string_view path);

/// Opens the object `target` names, reading its last `tail_bytes`. Throws Error(NotFound)
/// for a missing object. `http` is kept alive as long as the file.
std::shared_ptr<const InputFile> open_remote_input(std::shared_ptr<const HttpClient> http, RangedTarget target,
                                                   int64_t tail_bytes, int64_t cache_bytes);

}  // namespace parkett::io
