// An S3 object written as an OutputFile. Bytes collect into parts; a full part goes up as
// part of a multipart upload on a background thread while the caller keeps encoding, at
// most `max_parts_in_flight` parts being held or sent at once (write() waits for room), so
// memory stays near parts x part size. close() sends the last part and completes the upload:
// only then does the object exist. A failure, abort() or destruction before close() aborts
// the upload, so no partial object is ever visible. An object smaller than one part goes up
// in a single PUT at close(). Part sizes double every 1000 parts, so that S3's 10,000-part
// limit allows objects of terabytes.
#pragma once

#include <memory>

#include "io/s3_client.h"
#include "parkett/filesystem.h"

namespace parkett::io {

std::unique_ptr<OutputFile> open_s3_output(std::shared_ptr<const S3Client> client, S3Location where);

/// The size of multipart part `number` (1-based) for a base size.
int64_t s3_part_size(int64_t base, int number);

}  // namespace parkett::io
