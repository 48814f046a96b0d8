// Opening encrypted footers (Encryption.md, "File Format"): a PARE file's FileCryptoMetaData
// and encrypted FileMetaData, a PAR1 file's signed plaintext footer, and the column
// metadata that encrypted columns keep apart. What comes out reads like a plaintext file's
// footer, with a FileDecryptor for the modules still encrypted (pages, indexes, bloom filters).
#pragma once

#include <memory>
#include <string>

#include "file/file_decryptor.h"
#include "parkett/metadata.h"
#include "parkett/reader.h"

namespace parkett::file {

struct OpenedFooter {
  FileMetadata metadata;
  std::shared_ptr<const FileDecryptor> decryptor;  // null for plaintext files
};

/// A PARE file's footer region (the footer-length bytes before the trailer).
OpenedFooter open_encrypted_footer(const std::string& region, const OpenOptions& options, const std::string& name);
/// A PAR1 file's footer: the signature of a plaintext-footer file is checked (when the
/// footer key is at hand and check_footer_integrity), a plaintext file given decryption
/// properties refused unless plaintext_files_allowed.
OpenedFooter open_plaintext_footer(std::string footer, const OpenOptions& options, const std::string& name);

}  // namespace parkett::file
