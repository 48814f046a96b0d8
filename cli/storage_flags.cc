#include "cli/storage_flags.h"

#include "cli/progress.h"

namespace parkett::cli {

void add_storage_flags(CLI::App* cmd, StorageFlags& flags) {
  const std::string group = "S3 (over AWS_REGION, AWS_ENDPOINT_URL, AWS_PROFILE and the other AWS variables)";
  cmd->add_option("--s3-region", flags.s3_region, "S3 region, e.g. eu-west-1")->group(group);
  cmd->add_option("--s3-endpoint", flags.s3_endpoint,
                  "S3-compatible endpoint, http(s)://host[:port] (MinIO, Ceph, R2, moto...)")
      ->group(group);
  cmd->add_option("--s3-profile", flags.s3_profile, "Profile of ~/.aws/config and ~/.aws/credentials")->group(group);
  cmd->add_flag("--s3-anonymous", flags.s3_anonymous, "Send S3 requests unsigned (public buckets)")->group(group);
}

S3Options s3_options(const StorageFlags& flags) {
  S3Options o;
  o.region = flags.s3_region;
  o.endpoint_url = flags.s3_endpoint;
  o.profile = flags.s3_profile;
  o.anonymous = flags.s3_anonymous;
  return o;
}

std::shared_ptr<FileSystem> remote_store(const std::string& path, const StorageFlags& flags) {
  const std::shared_ptr<FileSystem> store = filesystem_for(path, s3_options(flags));
  if (store == local_filesystem()) return nullptr;
  return sized(store);
}

}  // namespace parkett::cli
