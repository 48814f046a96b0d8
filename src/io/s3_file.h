// An S3 object read as an InputFile. Opening costs one request: a suffix range GET that
// gives the size and the last bytes (the footer, usually whole); reads of those bytes are
// then served from memory. Other reads are range GETs, run concurrently by read_many, each
// checked against the ETag seen at open so that an object replaced mid-read fails instead of
// mixing two versions. An optional bounded cache keeps fetched ranges for reads that come
// back to them (bloom filters, dictionaries, repeated scans).
#pragma once

#include <cstdint>
#include <memory>

#include "io/s3_client.h"
#include "parkett/input_file.h"

namespace parkett::io {

/// Opens `where`, reading its last `tail_bytes`. Throws Error(NotFound) for a missing object.
std::shared_ptr<const InputFile> open_s3_input(std::shared_ptr<const S3Client> client, const S3Location& where,
                                               int64_t tail_bytes);

}  // namespace parkett::io
